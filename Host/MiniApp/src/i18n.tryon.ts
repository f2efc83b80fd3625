// The try-on screen's texts (ADR 0165), beside the shared table so parallel screens do not edit one block.
export interface TryOnTexts {
  tryOn: string;
  tryOnIntro: string;
  tryOnOff: string;
  tryOnPrice: (price: bigint, balance: bigint) => string;
  tryOnPerson: string;
  tryOnGarment: string;
  tryOnZone: string;
  tryOnStart: (price: bigint) => string;
  tryOnPreparing: string;
  tryOnNotImage: (name: string) => string;
  tryOnTooLarge: (name: string, mb: number) => string;
  tryOnStillTooLarge: (name: string) => string;
  tryOnShort: (shortfall: bigint) => string;
  tryOnLimit: string;
  tryOnQueued: string;
  tryOnRunning: string;
  tryOnDone: string;
  tryOnFailed: string;
  tryOnAgain: string;
  tryOnOpen: string;
  /** In TryOnZone order, TOP first. */
  zones: readonly string[];
}

const texts: Record<'ru' | 'en', TryOnTexts> = {
  ru: {
    tryOn: '👗 Примерка',
    tryOnIntro: 'Выберите фото человека и фото вещи, укажите, что примеряем, — получите фото человека в этой вещи.',
    tryOnOff: 'Примерка сейчас недоступна. Попробуйте позже.',
    tryOnPrice: (price: bigint, balance: bigint) => `Цена: ${price} кр. · Ваш баланс: ${balance} кр.`,
    tryOnPerson: '1. Фото человека',
    tryOnGarment: '2. Фото вещи',
    tryOnZone: '3. Что примеряем',
    tryOnStart: (price: bigint) => `Примерить за ${price} кр.`,
    tryOnPreparing: 'Готовлю фото…',
    tryOnNotImage: (name: string) => `«${name}» — не картинка, которую можно открыть. Выберите фото в JPEG, PNG или WebP.`,
    tryOnTooLarge: (name: string, mb: number) => `«${name}» слишком большой (больше ${mb} МБ). Выберите фото поменьше.`,
    tryOnStillTooLarge: (name: string) => `«${name}» не удалось сжать до нужного размера. Выберите другое фото.`,
    tryOnShort: (shortfall: bigint) => `Не хватает ${shortfall} кр. Пополните баланс и попробуйте снова.`,
    tryOnLimit: 'Сейчас запустить нельзя: достигнут лимит задач. Попробуйте позже.',
    tryOnQueued: 'В очереди…',
    tryOnRunning: 'Примеряю…',
    tryOnDone: 'Готово!',
    tryOnFailed: 'Не удалось',
    tryOnAgain: 'Примерить другую вещь',
    tryOnOpen: 'Открыть в полном размере',
    zones: ['👕 Верх', '👖 Низ', '👗 Платье', '🧥 Верхняя одежда', '👟 Обувь', '🧢 Головной убор', '👓 Очки', '👜 Сумка', '💍 Украшения'],
  },
  en: {
    tryOn: '👗 Try-on',
    tryOnIntro: 'Pick a photo of a person and a photo of an item, say what it is, and get the person wearing it.',
    tryOnOff: 'Try-on is not available right now. Please try again later.',
    tryOnPrice: (price: bigint, balance: bigint) => `Price: ${price} credits · Your balance: ${balance} credits`,
    tryOnPerson: '1. Photo of the person',
    tryOnGarment: '2. Photo of the item',
    tryOnZone: '3. What are we trying on',
    tryOnStart: (price: bigint) => `Try on for ${price} credits`,
    tryOnPreparing: 'Preparing the photos…',
    tryOnNotImage: (name: string) => `"${name}" is not a picture that can be opened. Choose a JPEG, PNG or WebP photo.`,
    tryOnTooLarge: (name: string, mb: number) => `"${name}" is too large (over ${mb} MB). Choose a smaller photo.`,
    tryOnStillTooLarge: (name: string) => `"${name}" could not be made small enough to send. Choose another photo.`,
    tryOnShort: (shortfall: bigint) => `You are ${shortfall} credits short. Top up and try again.`,
    tryOnLimit: 'It cannot start right now: the job limit is reached. Please try later.',
    tryOnQueued: 'Queued…',
    tryOnRunning: 'Trying it on…',
    tryOnDone: 'Done!',
    tryOnFailed: 'Failed',
    tryOnAgain: 'Try on another item',
    tryOnOpen: 'Open full size',
    zones: ['👕 Top', '👖 Bottoms', '👗 Dress', '🧥 Outerwear', '👟 Shoes', '🧢 Hat', '👓 Glasses', '👜 Bag', '💍 Jewellery'],
  },
};

export function tryOnTextsFor(language: 'ru' | 'en'): TryOnTexts {
  return texts[language];
}
