using NanoBanana.Options.V1;

namespace NanoBanana.Users.Domain;

/// <summary>An internal tool's credential. Only the SHA-256 of the secret is stored.</summary>
internal sealed class ApiKey
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public Role Role { get; set; }

    public required byte[] KeyHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
