using NanoBanana.Telegram.Requests;
using NanoBanana.Telegram.Types;
using NanoBanana.Telegram.Types.Payments;
using NanoBanana.Telegram.Types.ReplyMarkups;

namespace NanoBanana.Telegram;

/// <summary>One method per Bot API call, with Telegram.Bot's names and parameter order.</summary>
public static class TelegramBotClientExtensions
{
    public static Task<User> GetMe(this ITelegramBotClient bot, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new GetMeRequest(), cancellationToken);

    public static Task<Update[]> GetUpdates(
        this ITelegramBotClient bot, int? offset = null, int? limit = null, int? timeout = null,
        IEnumerable<UpdateType>? allowedUpdates = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new GetUpdatesRequest { Offset = offset, Limit = limit, Timeout = timeout, AllowedUpdates = allowedUpdates }, cancellationToken);

    public static Task<bool> SetWebhook(
        this ITelegramBotClient bot, string url, string? ipAddress = null, int? maxConnections = null,
        IEnumerable<UpdateType>? allowedUpdates = null, bool dropPendingUpdates = false, string? secretToken = null,
        CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SetWebhookRequest
        {
            Url = url, IpAddress = ipAddress, MaxConnections = maxConnections, AllowedUpdates = allowedUpdates,
            DropPendingUpdates = dropPendingUpdates, SecretToken = secretToken,
        }, cancellationToken);

    public static Task<bool> DeleteWebhook(this ITelegramBotClient bot, bool dropPendingUpdates = false, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new DeleteWebhookRequest { DropPendingUpdates = dropPendingUpdates }, cancellationToken);

    public static Task<WebhookInfo> GetWebhookInfo(this ITelegramBotClient bot, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new GetWebhookInfoRequest(), cancellationToken);

    public static Task<Message> SendMessage(
        this ITelegramBotClient bot, ChatId chatId, string text, ParseMode parseMode = default,
        ReplyParameters? replyParameters = null, ReplyMarkup? replyMarkup = null, bool disableNotification = false,
        bool protectContent = false, bool allowPaidBroadcast = false, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SendMessageRequest
        {
            ChatId = chatId, Text = text, ParseMode = parseMode, ReplyParameters = replyParameters, ReplyMarkup = replyMarkup,
            DisableNotification = disableNotification, ProtectContent = protectContent, AllowPaidBroadcast = allowPaidBroadcast,
        }, cancellationToken);

    public static Task<Message> EditMessageText(
        this ITelegramBotClient bot, ChatId chatId, int messageId, string text, ParseMode parseMode = default,
        InlineKeyboardMarkup? replyMarkup = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new EditMessageTextRequest { ChatId = chatId, MessageId = messageId, Text = text, ParseMode = parseMode, ReplyMarkup = replyMarkup }, cancellationToken);

    public static Task<Message> EditMessageReplyMarkup(
        this ITelegramBotClient bot, ChatId chatId, int messageId, InlineKeyboardMarkup? replyMarkup = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new EditMessageReplyMarkupRequest { ChatId = chatId, MessageId = messageId, ReplyMarkup = replyMarkup }, cancellationToken);

    public static Task<bool> DeleteMessage(this ITelegramBotClient bot, ChatId chatId, int messageId, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new DeleteMessageRequest { ChatId = chatId, MessageId = messageId }, cancellationToken);

    public static Task<bool> AnswerCallbackQuery(
        this ITelegramBotClient bot, string callbackQueryId, string? text = null, bool showAlert = false, string? url = null,
        int? cacheTime = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new AnswerCallbackQueryRequest { CallbackQueryId = callbackQueryId, Text = text, ShowAlert = showAlert, Url = url, CacheTime = cacheTime }, cancellationToken);

    public static Task<Message> SendPhoto(
        this ITelegramBotClient bot, ChatId chatId, InputFile photo, string? caption = null, ParseMode parseMode = default,
        ReplyParameters? replyParameters = null, ReplyMarkup? replyMarkup = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SendPhotoRequest { ChatId = chatId, Photo = photo, Caption = caption, ParseMode = parseMode, ReplyParameters = replyParameters, ReplyMarkup = replyMarkup }, cancellationToken);

    public static Task<Message> SendDocument(
        this ITelegramBotClient bot, ChatId chatId, InputFile document, string? caption = null, ParseMode parseMode = default,
        ReplyParameters? replyParameters = null, ReplyMarkup? replyMarkup = null, InputFile? thumbnail = null,
        CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SendDocumentRequest
        {
            ChatId = chatId, Document = document, Caption = caption, ParseMode = parseMode, ReplyParameters = replyParameters,
            ReplyMarkup = replyMarkup, Thumbnail = thumbnail,
        }, cancellationToken);

    public static Task<Message> SendVideo(
        this ITelegramBotClient bot, ChatId chatId, InputFile video, string? caption = null, ParseMode parseMode = default,
        ReplyParameters? replyParameters = null, ReplyMarkup? replyMarkup = null, int? duration = null, int? width = null,
        int? height = null, InputFile? thumbnail = null, bool? supportsStreaming = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SendVideoRequest
        {
            ChatId = chatId, Video = video, Caption = caption, ParseMode = parseMode, ReplyParameters = replyParameters,
            ReplyMarkup = replyMarkup, Duration = duration, Width = width, Height = height, Thumbnail = thumbnail,
            SupportsStreaming = supportsStreaming,
        }, cancellationToken);

    public static Task<Message[]> SendMediaGroup(
        this ITelegramBotClient bot, ChatId chatId, IEnumerable<InputMedia> media, ReplyParameters? replyParameters = null,
        CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SendMediaGroupRequest { ChatId = chatId, Media = media, ReplyParameters = replyParameters }, cancellationToken);

    public static Task<bool> SendChatAction(this ITelegramBotClient bot, ChatId chatId, ChatAction action, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SendChatActionRequest { ChatId = chatId, Action = action }, cancellationToken);

    public static Task<TGFile> GetFile(this ITelegramBotClient bot, string fileId, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new GetFileRequest { FileId = fileId }, cancellationToken);

    /// <summary>getFile then download; bots can download at most 20 MB.</summary>
    public static async Task<TGFile> GetInfoAndDownloadFile(this ITelegramBotClient bot, string fileId, Stream destination, CancellationToken cancellationToken = default)
    {
        var file = await bot.GetFile(fileId, cancellationToken);
        if (string.IsNullOrEmpty(file.FilePath))
        {
            throw new Exceptions.RequestException($"getFile returned no file_path for {fileId}.");
        }

        await bot.DownloadFile(file.FilePath, destination, cancellationToken);
        return file;
    }

    public static Task<bool> SetMyCommands(
        this ITelegramBotClient bot, IEnumerable<BotCommand> commands, string? languageCode = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SetMyCommandsRequest { Commands = commands, LanguageCode = languageCode }, cancellationToken);

    public static Task<bool> SetChatMenuButton(
        this ITelegramBotClient bot, long? chatId = null, MenuButton? menuButton = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SetChatMenuButtonRequest { ChatId = chatId, MenuButton = menuButton }, cancellationToken);

    public static Task<Message> SendInvoice(
        this ITelegramBotClient bot, ChatId chatId, string title, string description, string payload, string currency,
        IEnumerable<LabeledPrice> prices, string? providerToken = null, string? startParameter = null, string? photoUrl = null,
        InlineKeyboardMarkup? replyMarkup = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new SendInvoiceRequest
        {
            ChatId = chatId, Title = title, Description = description, Payload = payload, Currency = currency, Prices = prices,
            ProviderToken = providerToken, StartParameter = startParameter, PhotoUrl = photoUrl, ReplyMarkup = replyMarkup,
        }, cancellationToken);

    public static Task<string> CreateInvoiceLink(
        this ITelegramBotClient bot, string title, string description, string payload, string currency,
        IEnumerable<LabeledPrice> prices, string? providerToken = null, int? subscriptionPeriod = null, string? photoUrl = null,
        CancellationToken cancellationToken = default) =>
        bot.SendRequest(new CreateInvoiceLinkRequest
        {
            Title = title, Description = description, Payload = payload, Currency = currency, Prices = prices,
            ProviderToken = providerToken, SubscriptionPeriod = subscriptionPeriod, PhotoUrl = photoUrl,
        }, cancellationToken);

    /// <summary>Accepts the checkout when <paramref name="errorMessage"/> is null, declines it otherwise.</summary>
    public static Task<bool> AnswerPreCheckoutQuery(
        this ITelegramBotClient bot, string preCheckoutQueryId, string? errorMessage = null, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new AnswerPreCheckoutQueryRequest { PreCheckoutQueryId = preCheckoutQueryId, Ok = errorMessage is null, ErrorMessage = errorMessage }, cancellationToken);

    public static Task<bool> RefundStarPayment(
        this ITelegramBotClient bot, long userId, string telegramPaymentChargeId, CancellationToken cancellationToken = default) =>
        bot.SendRequest(new RefundStarPaymentRequest { UserId = userId, TelegramPaymentChargeId = telegramPaymentChargeId }, cancellationToken);
}
