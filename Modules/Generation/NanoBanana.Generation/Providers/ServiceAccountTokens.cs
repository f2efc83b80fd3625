using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// OAuth access tokens for a Google service account (JWT bearer grant, RS256), cached until a
/// minute before they expire. Signed here with the BCL's RSA, so the token URL can point at a fake.
/// </summary>
internal sealed class ServiceAccountTokens : IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly VertexOptions _options;
    private readonly TimeProvider _clock;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lazy<(string Email, RSA Key)> _account;
    private string? _token;
    private DateTimeOffset _expiresAt;

    public ServiceAccountTokens(VertexOptions options, TimeProvider clock, HttpMessageHandler? handler = null)
    {
        _options = options;
        _clock = clock;
        _client = new HttpClient(handler ?? new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        _account = new Lazy<(string, RSA)>(LoadAccount);
    }

    public void Dispose()
    {
        _client.Dispose();
        _refresh.Dispose();
    }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && _clock.GetUtcNow() < _expiresAt)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } fresh && _clock.GetUtcNow() < _expiresAt)
            {
                return fresh;
            }

            using var response = await _client.PostAsync(
                _options.TokenUrl,
                new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                    ["assertion"] = CreateAssertion(),
                }),
                cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ProviderFailureException(
                    (int)response.StatusCode >= 500 ? FailureClass.Transient : FailureClass.Permanent,
                    $"Vertex token exchange failed: HTTP {(int)response.StatusCode}");
            }

            using var document = JsonDocument.Parse(body);
            _token = document.RootElement.GetProperty("access_token").GetString();
            var lifetime = document.RootElement.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 3600;
            _expiresAt = _clock.GetUtcNow().AddSeconds(Math.Max(0, lifetime - 60));
            return _token ?? throw new ProviderFailureException(FailureClass.Permanent, "Vertex token response has no access_token");
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or KeyNotFoundException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderFailureException(FailureClass.Transient, "Vertex token exchange failed", exception);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private string CreateAssertion()
    {
        var (email, key) = _account.Value;
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);
        var claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = email,
            ["scope"] = Scope,
            ["aud"] = _options.TokenUrl,
            ["iat"] = now,
            ["exp"] = now + 3600,
        }));
        var signingInput = header + "." + claims;
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private (string Email, RSA Key) LoadAccount()
    {
        var json = _options.ServiceAccount.TrimStart().StartsWith('{') ? _options.ServiceAccount : File.ReadAllText(_options.ServiceAccount);
        using var document = JsonDocument.Parse(json);
        var rsa = RSA.Create();
        rsa.ImportFromPem(document.RootElement.GetProperty("private_key").GetString());
        return (document.RootElement.GetProperty("client_email").GetString() ?? string.Empty, rsa);
    }

    private static string Base64Url(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
