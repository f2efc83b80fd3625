namespace NanoBanana.Bot.Conversation;

/// <summary>A chat's row as the update worker claimed it: what the conversation remembers between updates.</summary>
internal sealed record StoredChat(long ChatId, long UserId, string? Language, string? LanguageOverride, string State, string Data);
