using Microsoft.Extensions.Options;

namespace NanoBanana.Bot;

/// <summary>Where the Mini App lives: <c>Bot:MiniAppUrl</c>, else <c>/app/</c> under <see cref="PublicLinks"/>.</summary>
internal sealed class MiniAppLink(IOptions<BotOptions> options, PublicLinks links)
{
    public string Url { get; } = options.Value.MiniAppUrl is { Length: > 0 } url ? url : links.Absolute("/app/");
}
