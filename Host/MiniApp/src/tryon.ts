// 👗 Try-on (ADR 0165): two photos from the device, the zone, the price, start, progress and the result, over
// gRPC-Web with the public API (GetTryOnOffer, StartGeneration, WatchJob). Photos are downscaled and re-encoded
// here, so the request stays well under the server's 4 MB message limit whatever the camera made.
import { ConnectError } from '@connectrpc/connect';
import { billing, generation, tryOn } from './api';
import { h, mount } from './dom';
import { tryOnTextsFor } from './i18n.tryon';
import { setBackButton, setMainButton } from './telegram';
import { GenerationKind, JobStatus, TryOnZone, type Job } from './gen/nanobanana/generation/v1/generation_pb';

/** What the screen borrows from the app shell. */
export interface Shell {
  root: HTMLElement;
  lang: 'ru' | 'en';
  loading: () => void;
  failure: (message: string, retry?: () => void) => void;
  describe: (error: unknown) => string;
  home: () => void;
  topUp: () => void;
}

/** Longest side sent; Gemini image models work at about 1K, and the result keeps the person photo's framing. */
const MAX_SIDE = 1536;
/** Per photo after re-encoding: two of them plus the envelope stay under the 4 MB gRPC message limit. */
const MAX_SEND_BYTES = 1_800_000;
/** Originals larger than this are refused before decoding (a phone camera's JPEG is far smaller). */
const MAX_ORIGINAL_MB = 40;

/** A photo the user picked cannot be used; the message says why. */
class PhotoRefused extends Error {}

const zones = [TryOnZone.TOP, TryOnZone.BOTTOM, TryOnZone.DRESS, TryOnZone.OUTERWEAR, TryOnZone.SHOES, TryOnZone.HAT, TryOnZone.GLASSES, TryOnZone.BAG, TryOnZone.JEWELRY];

export function zoneName(lang: 'ru' | 'en', zone: TryOnZone): string {
  const index = zones.indexOf(zone);
  return index >= 0 ? tryOnTextsFor(lang).zones[index] : '';
}

/** Decodes, downscales to MAX_SIDE and re-encodes as JPEG, lowering the quality until it fits MAX_SEND_BYTES. */
async function prepare(file: File, lang: 'ru' | 'en'): Promise<Uint8Array> {
  const t = tryOnTextsFor(lang);
  if (file.size > MAX_ORIGINAL_MB * 1024 * 1024) throw new PhotoRefused(t.tryOnTooLarge(file.name, MAX_ORIGINAL_MB));
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PhotoRefused(t.tryOnNotImage(file.name));
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(16, Math.round(bitmap.width * scale));
  canvas.height = Math.max(16, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d')!;
  // JPEG has no transparency: a cut-out garment goes on white, not black.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  for (const quality of [0.9, 0.8, 0.7, 0.55, 0.4]) {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (blob && blob.size <= MAX_SEND_BYTES) return new Uint8Array(await blob.arrayBuffer());
  }
  throw new PhotoRefused(t.tryOnStillTooLarge(file.name));
}

export async function showTryOn(shell: Shell): Promise<void> {
  const { root, lang } = shell;
  const t = tryOnTextsFor(lang);
  shell.loading();
  setBackButton(() => shell.home());
  setMainButton(undefined);
  let offer;
  let available = 0n;
  try {
    const [found, balance] = await Promise.all([tryOn.getTryOnOffer({}), billing.getBalance({})]);
    offer = found.offer;
    available = balance.balance?.available ?? 0n;
  } catch (error) {
    shell.failure(shell.describe(error), () => void showTryOn(shell));
    return;
  }
  if (!offer?.enabled) {
    mount(root, h('h1', {}, t.tryOn), h('p', { class: 'hint', id: 'tryon-off' }, t.tryOnOff), h('button', { class: 'secondary', onclick: shell.home }, '←'));
    return;
  }
  const price = offer.priceCredits;

  const files: { person?: File; garment?: File } = {};
  let zone = TryOnZone.UNSPECIFIED;
  const message = h('p', { class: 'message error', id: 'tryon-message' });
  const status = h('p', { class: 'message', id: 'tryon-status' });
  const result = h('div', { id: 'tryon-result' });
  const start = h('button', { id: 'tryon-start', disabled: true, onclick: () => void run() }, t.tryOnStart(price));
  const refresh = () => (start.disabled = !(files.person && files.garment && zone !== TryOnZone.UNSPECIFIED));

  const picker = (role: 'person' | 'garment', label: string) => {
    const preview = h('img', { class: 'tryon-preview', id: `tryon-${role}-preview` });
    preview.hidden = true;
    const input = h('input', { type: 'file', id: `tryon-${role}` });
    input.accept = 'image/*';
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      message.textContent = '';
      files[role] = file;
      if (file) {
        preview.src = URL.createObjectURL(file);
        preview.hidden = false;
      }
      refresh();
    });
    return h('div', { class: 'card' }, h('h2', {}, label), input, preview);
  };
  const zoneButtons = zones.map((value, index) => {
    const button = h('button', { class: 'secondary zone', data: { zone: TryOnZone[value].toLowerCase() } }, t.zones[index]);
    button.addEventListener('click', () => {
      zone = value;
      for (const other of zoneButtons) other.classList.toggle('selected', other === button);
      refresh();
    });
    return button;
  });

  mount(root,
    h('h1', {}, t.tryOn),
    h('p', { class: 'hint' }, t.tryOnIntro),
    h('p', { id: 'tryon-price' }, t.tryOnPrice(price, available)),
    picker('person', t.tryOnPerson),
    picker('garment', t.tryOnGarment),
    h('div', { class: 'card' }, h('h2', {}, t.tryOnZone), h('div', { class: 'zones' }, ...zoneButtons)),
    start,
    message,
    status,
    result,
    h('button', { class: 'secondary', onclick: shell.home }, '←'));

  const run = async () => {
    start.disabled = true;
    message.textContent = '';
    status.textContent = t.tryOnPreparing;
    let images: Uint8Array[];
    try {
      images = [await prepare(files.person!, lang), await prepare(files.garment!, lang)];
    } catch (error) {
      status.textContent = '';
      message.textContent = error instanceof PhotoRefused ? error.message : shell.describe(error);
      refresh();
      return;
    }
    try {
      const started = await generation.startGeneration({
        spec: { kind: GenerationKind.TRY_ON, tryOnZone: zone, referenceImages: images.map((data) => ({ data })) },
        clientRequestId: crypto.randomUUID(),
      });
      const outcome = started.outcome!;
      if (outcome.insufficientFunds) {
        status.textContent = '';
        message.replaceChildren(t.tryOnShort(outcome.shortfall), h('button', { id: 'tryon-top-up', onclick: shell.topUp }, '➕'));
        refresh();
        return;
      }
      if (!outcome.job) {
        status.textContent = '';
        message.textContent = t.tryOnLimit;
        refresh();
        return;
      }
      await watch(outcome.job);
    } catch (error) {
      status.textContent = '';
      message.textContent = error instanceof ConnectError ? error.rawMessage : shell.describe(error);
      refresh();
    }
  };

  const show = (job: Job) => {
    status.dataset.status = JobStatus[job.status].toLowerCase();
    switch (job.status) {
      case JobStatus.SUCCEEDED: {
        status.textContent = t.tryOnDone;
        const media = job.media[0];
        if (media) {
          result.replaceChildren(
            h('img', { class: 'tryon-image', id: 'tryon-image' }),
            h('a', { href: media.downloadPath, id: 'tryon-open' }, t.tryOnOpen),
            h('button', { class: 'secondary', id: 'tryon-again', onclick: () => void showTryOn(shell) }, t.tryOnAgain));
          (result.firstChild as HTMLImageElement).src = media.downloadPath;
        }
        break;
      }
      case JobStatus.FAILED:
      case JobStatus.CANCELLED:
        status.textContent = t.tryOnFailed;
        message.textContent = (lang === 'en' ? job.failureReason?.en : job.failureReason?.ru) ?? '';
        refresh();
        break;
      case JobStatus.RUNNING:
        status.textContent = t.tryOnRunning;
        break;
      default:
        status.textContent = t.tryOnQueued;
    }
  };

  /** WatchJob until the job finishes; if the stream breaks, GetGeneration every 2 s. */
  const watch = async (job: Job) => {
    show(job);
    const finished = (j: Job) => j.status === JobStatus.SUCCEEDED || j.status === JobStatus.FAILED || j.status === JobStatus.CANCELLED;
    try {
      for await (const update of generation.watchJob({ jobId: job.id })) {
        if (update.job) {
          show(update.job);
          if (finished(update.job)) return;
        }
      }
    } catch {
      // Proxies sometimes cut long responses; polling still gets there.
    }
    for (;;) {
      const { job: now } = await generation.getGeneration({ jobId: job.id });
      if (now) {
        show(now);
        if (finished(now)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
}
