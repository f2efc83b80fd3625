using System.Text.Json.Serialization;

namespace NanoBanana.Telegram.Types;

/// <summary>A chat by numeric id or by <c>@username</c>.</summary>
[JsonConverter(typeof(Serialization.ChatIdConverter))]
public sealed class ChatId : IEquatable<ChatId>
{
    public ChatId(long identifier) => Identifier = identifier;

    public ChatId(string username)
    {
        if (long.TryParse(username, out var id))
        {
            Identifier = id;
        }
        else if (username.Length > 1 && username[0] == '@')
        {
            Username = username;
        }
        else
        {
            throw new ArgumentException("A chat id is a number or an @username.", nameof(username));
        }
    }

    public long? Identifier { get; }

    public string? Username { get; }

    public static implicit operator ChatId(long identifier) => new(identifier);

    public static implicit operator ChatId(string username) => new(username);

    public bool Equals(ChatId? other) => other is not null && Identifier == other.Identifier && Username == other.Username;

    public override bool Equals(object? obj) => Equals(obj as ChatId);

    public override int GetHashCode() => HashCode.Combine(Identifier, Username);

    public override string ToString() => Username ?? Identifier!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
