namespace NanoBanana.Users.Domain;

/// <summary>A Telegram user as the product knows them; keyed by the Telegram user id.</summary>
internal sealed class User
{
    public long Id { get; set; }

    public string? Username { get; set; }

    public string FirstName { get; set; } = "";

    public string? LastName { get; set; }

    public string? LanguageCode { get; set; }

    public bool IsPremium { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Set from <c>my_chat_member</c> when the user blocks the bot; cleared when they come back.</summary>
    public bool BlockedBot { get; set; }

    public bool Banned { get; set; }

    public string? BanReason { get; set; }

    /// <summary>Staff roles ("admin", "support"); ordinary users have none.</summary>
    public List<string> Roles { get; set; } = [];

    public string PreferredImageModel { get; set; } = "";

    public string PreferredVideoModel { get; set; } = "";

    public string AspectRatio { get; set; } = "";

    /// <summary>0 = follow the Telegram language, 1 = ru, 2 = en (the proto enum's numbers).</summary>
    public int InterfaceLanguage { get; set; }

    public required string ReferralCode { get; set; }

    /// <summary>Set once, when the user is created through a valid referral link; never changed.</summary>
    public long? ReferrerId { get; set; }
}
