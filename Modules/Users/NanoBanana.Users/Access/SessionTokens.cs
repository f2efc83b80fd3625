using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.Users.Access;

/// <summary>
/// Compact HMAC-SHA256 session tokens: <c>nb1.&lt;base64url(user id, expiry)&gt;.&lt;base64url(mac)&gt;</c>.
/// Stateless, so any replica verifies them; they carry no secrets, only who and until when.
/// A ban takes effect at once anyway because the authenticator reads the user on every call.
/// </summary>
internal sealed class SessionTokens(IOptions<AuthOptions> options, SqlSession sql, TimeProvider clock) : IDisposable
{
    private const string Prefix = "nb1.";
    private const string SecretName = "session_signing_key";
    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private byte[]? _key;

    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(long userId, CancellationToken cancellationToken)
    {
        var expiresAt = clock.GetUtcNow() + options.Value.SessionLifetime;
        var payload = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(payload, userId);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(8), expiresAt.ToUnixTimeSeconds());
        var body = Prefix + Base64Url.EncodeToString(payload);
        var mac = HMACSHA256.HashData(await GetKeyAsync(cancellationToken), Encoding.ASCII.GetBytes(body));
        return (body + "." + Base64Url.EncodeToString(mac), DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>The user id of a genuine, unexpired token; null otherwise.</summary>
    public async Task<long?> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        var dot = token.LastIndexOf('.');
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || dot <= Prefix.Length || token.Length > 128)
        {
            return null;
        }

        var body = token[..dot];
        var payload = new byte[16];
        var mac = new byte[32];
        if (Base64Url.DecodeFromChars(body.AsSpan(Prefix.Length), payload, out _, out var payloadLength) != System.Buffers.OperationStatus.Done || payloadLength != 16
            || Base64Url.DecodeFromChars(token.AsSpan(dot + 1), mac, out _, out var macLength) != System.Buffers.OperationStatus.Done || macLength != 32)
        {
            return null;
        }

        var expected = HMACSHA256.HashData(await GetKeyAsync(cancellationToken), Encoding.ASCII.GetBytes(body));
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return null;
        }

        var expiresAt = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(8));
        return clock.GetUtcNow().ToUnixTimeSeconds() < expiresAt ? BinaryPrimitives.ReadInt64BigEndian(payload) : null;
    }

    public void Dispose() => _keyGate.Dispose();

    private async ValueTask<byte[]> GetKeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } cached)
        {
            return cached;
        }

        await _keyGate.WaitAsync(cancellationToken);
        try
        {
            _key ??= options.Value.SessionSigningKey.Length > 0
                ? Convert.FromBase64String(options.Value.SessionSigningKey)   // checked at start-up (AuthOptions)
                : await LoadOrCreateSharedKeyAsync(cancellationToken);
            return _key;
        }
        finally
        {
            _keyGate.Release();
        }
    }

    /// <summary>The first replica to ask stores a random key; every other one reads the same row.</summary>
    private async Task<byte[]> LoadOrCreateSharedKeyAsync(CancellationToken cancellationToken)
    {
        await using var command = sql.Command(
            """
            INSERT INTO users.secrets (name, value, created_at) VALUES (@name, @value, now()) ON CONFLICT (name) DO NOTHING;
            SELECT value FROM users.secrets WHERE name = @name;
            """);
        command.Parameters.AddWithValue("name", SecretName);
        command.Parameters.AddWithValue("value", RandomNumberGenerator.GetBytes(32));
        return (byte[])(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
