using System.Text.Json.Serialization;
using NanoBanana.Telegram.Requests;
using NanoBanana.Telegram.Types;
using NanoBanana.Telegram.Types.Payments;
using NanoBanana.Telegram.Types.ReplyMarkups;

namespace NanoBanana.Telegram.Serialization;

/// <summary>Source-generated JSON metadata for every Bot API type: snake_case names, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(ApiResponse<User>))]
[JsonSerializable(typeof(ApiResponse<Update[]>))]
[JsonSerializable(typeof(ApiResponse<bool>))]
[JsonSerializable(typeof(ApiResponse<string>))]
[JsonSerializable(typeof(ApiResponse<Message>))]
[JsonSerializable(typeof(ApiResponse<Message[]>))]
[JsonSerializable(typeof(ApiResponse<WebhookInfo>))]
[JsonSerializable(typeof(ApiResponse<TGFile>))]
[JsonSerializable(typeof(Update))]
[JsonSerializable(typeof(Update[]))]
[JsonSerializable(typeof(ReplyMarkup))]
[JsonSerializable(typeof(InlineKeyboardMarkup))]
[JsonSerializable(typeof(ReplyKeyboardMarkup))]
[JsonSerializable(typeof(ReplyKeyboardRemove))]
[JsonSerializable(typeof(MenuButton))]
[JsonSerializable(typeof(InputMedia[]))]
[JsonSerializable(typeof(LabeledPrice[]))]
[JsonSerializable(typeof(BotCommand[]))]
[JsonSerializable(typeof(UpdateType[]))]
[JsonSerializable(typeof(ReplyParameters))]
[JsonSerializable(typeof(GetMeRequest))]
[JsonSerializable(typeof(GetUpdatesRequest))]
[JsonSerializable(typeof(SetWebhookRequest))]
[JsonSerializable(typeof(DeleteWebhookRequest))]
[JsonSerializable(typeof(GetWebhookInfoRequest))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(EditMessageTextRequest))]
[JsonSerializable(typeof(EditMessageReplyMarkupRequest))]
[JsonSerializable(typeof(DeleteMessageRequest))]
[JsonSerializable(typeof(AnswerCallbackQueryRequest))]
[JsonSerializable(typeof(SendPhotoRequest))]
[JsonSerializable(typeof(SendDocumentRequest))]
[JsonSerializable(typeof(SendVideoRequest))]
[JsonSerializable(typeof(SendMediaGroupRequest))]
[JsonSerializable(typeof(SendChatActionRequest))]
[JsonSerializable(typeof(GetFileRequest))]
[JsonSerializable(typeof(SetMyCommandsRequest))]
[JsonSerializable(typeof(SetChatMenuButtonRequest))]
[JsonSerializable(typeof(SendInvoiceRequest))]
[JsonSerializable(typeof(CreateInvoiceLinkRequest))]
[JsonSerializable(typeof(AnswerPreCheckoutQueryRequest))]
[JsonSerializable(typeof(RefundStarPaymentRequest))]
public sealed partial class TelegramJsonContext : JsonSerializerContext;
