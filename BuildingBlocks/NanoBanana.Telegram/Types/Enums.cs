using System.Text.Json.Serialization;

namespace NanoBanana.Telegram.Types;

[JsonConverter(typeof(JsonStringEnumConverter<ChatType>))]
public enum ChatType
{
    [JsonStringEnumMemberName("private")] Private,
    [JsonStringEnumMemberName("group")] Group,
    [JsonStringEnumMemberName("supergroup")] Supergroup,
    [JsonStringEnumMemberName("channel")] Channel,
    [JsonStringEnumMemberName("sender")] Sender,
}

[JsonConverter(typeof(JsonStringEnumConverter<ChatMemberStatus>))]
public enum ChatMemberStatus
{
    [JsonStringEnumMemberName("creator")] Creator,
    [JsonStringEnumMemberName("administrator")] Administrator,
    [JsonStringEnumMemberName("member")] Member,
    [JsonStringEnumMemberName("restricted")] Restricted,
    [JsonStringEnumMemberName("left")] Left,
    [JsonStringEnumMemberName("kicked")] Kicked,
}

/// <summary>Text formatting of a message; <see cref="None"/> is not sent at all.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParseMode>))]
public enum ParseMode
{
    None,
    [JsonStringEnumMemberName("Markdown")] Markdown,
    [JsonStringEnumMemberName("HTML")] Html,
    [JsonStringEnumMemberName("MarkdownV2")] MarkdownV2,
}

[JsonConverter(typeof(JsonStringEnumConverter<ChatAction>))]
public enum ChatAction
{
    [JsonStringEnumMemberName("typing")] Typing,
    [JsonStringEnumMemberName("upload_photo")] UploadPhoto,
    [JsonStringEnumMemberName("record_video")] RecordVideo,
    [JsonStringEnumMemberName("upload_video")] UploadVideo,
    [JsonStringEnumMemberName("upload_document")] UploadDocument,
    [JsonStringEnumMemberName("choose_sticker")] ChooseSticker,
}

/// <summary>Kinds of update; <see cref="Unknown"/> is for updates this client does not model.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UpdateType>))]
public enum UpdateType
{
    Unknown,
    [JsonStringEnumMemberName("message")] Message,
    [JsonStringEnumMemberName("edited_message")] EditedMessage,
    [JsonStringEnumMemberName("channel_post")] ChannelPost,
    [JsonStringEnumMemberName("edited_channel_post")] EditedChannelPost,
    [JsonStringEnumMemberName("business_connection")] BusinessConnection,
    [JsonStringEnumMemberName("business_message")] BusinessMessage,
    [JsonStringEnumMemberName("edited_business_message")] EditedBusinessMessage,
    [JsonStringEnumMemberName("deleted_business_messages")] DeletedBusinessMessages,
    [JsonStringEnumMemberName("message_reaction")] MessageReaction,
    [JsonStringEnumMemberName("message_reaction_count")] MessageReactionCount,
    [JsonStringEnumMemberName("inline_query")] InlineQuery,
    [JsonStringEnumMemberName("chosen_inline_result")] ChosenInlineResult,
    [JsonStringEnumMemberName("callback_query")] CallbackQuery,
    [JsonStringEnumMemberName("shipping_query")] ShippingQuery,
    [JsonStringEnumMemberName("pre_checkout_query")] PreCheckoutQuery,
    [JsonStringEnumMemberName("purchased_paid_media")] PurchasedPaidMedia,
    [JsonStringEnumMemberName("poll")] Poll,
    [JsonStringEnumMemberName("poll_answer")] PollAnswer,
    [JsonStringEnumMemberName("my_chat_member")] MyChatMember,
    [JsonStringEnumMemberName("chat_member")] ChatMember,
    [JsonStringEnumMemberName("chat_join_request")] ChatJoinRequest,
    [JsonStringEnumMemberName("chat_boost")] ChatBoost,
    [JsonStringEnumMemberName("removed_chat_boost")] RemovedChatBoost,
}
