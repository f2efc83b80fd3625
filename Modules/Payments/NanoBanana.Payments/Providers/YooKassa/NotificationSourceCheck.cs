using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NanoBanana.Payments.Providers.YooKassa;

/// <summary>
/// Decides whether a notification comes from YooKassa's network. The client address is the TCP peer,
/// or — only when that peer is a configured trusted proxy — the first address in X-Forwarded-For,
/// read from the right, that is not itself a trusted proxy (a client-supplied header cannot spoof it).
/// </summary>
internal sealed class NotificationSourceCheck
{
    private readonly IReadOnlyList<System.Net.IPNetwork> _allowed;
    private readonly IReadOnlyList<System.Net.IPNetwork> _proxies;

    public NotificationSourceCheck(IOptions<YooKassaOptions> options)
    {
        var settings = options.Value;
        _allowed = [.. (settings.AllowedNetworks.Length > 0 ? settings.AllowedNetworks : YooKassaOptions.PublishedNetworks).Select(ParseNetwork)];
        _proxies = [.. settings.TrustedProxies.Select(ParseNetwork)];
    }

    public IPAddress? ClientAddress(HttpContext context)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress);
        if (peer is null || !InAny(_proxies, peer))
        {
            return peer;
        }

        var hops = context.Request.Headers["X-Forwarded-For"].SelectMany(v => (v ?? string.Empty).Split(',')).Select(h => h.Trim()).Where(h => h.Length > 0).ToList();
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                return null;
            }

            hop = Normalize(hop)!;
            if (!InAny(_proxies, hop))
            {
                return hop;
            }
        }

        return peer;
    }

    public bool IsAllowed(IPAddress? address) => address is not null && InAny(_allowed, address);

    private static bool InAny(IReadOnlyList<System.Net.IPNetwork> networks, IPAddress address) => networks.Any(n => n.Contains(address));

    private static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private static System.Net.IPNetwork ParseNetwork(string text)
    {
        if (text.Contains('/'))
        {
            return System.Net.IPNetwork.Parse(text);
        }

        var address = IPAddress.Parse(text);
        return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}
