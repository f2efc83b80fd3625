using Microsoft.Extensions.Configuration;

namespace NanoBanana.Bot;

/// <summary>
/// Telegram takes only absolute URLs in buttons, while modules may hand out links relative to the
/// Host (e.g. a checkout page when no public URL is configured). They are resolved against
/// <c>Bot:PublicBaseUrl</c>, else the Host's HTTP endpoint.
/// </summary>
internal sealed class PublicLinks(IConfiguration configuration)
{
    private readonly Uri _base = new((configuration["Bot:PublicBaseUrl"] is { Length: > 0 } configured
        ? configured
        : configuration["Kestrel:Endpoints:Http:Url"] ?? "http://127.0.0.1:5000").TrimEnd('/') + "/");

    public string Absolute(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? link
            : new Uri(_base, link.TrimStart('/')).ToString();
}
