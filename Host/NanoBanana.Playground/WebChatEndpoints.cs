using System.Reflection;

namespace NanoBanana.Playground;

/// <summary>Serves the web chat from embedded resources, so the playground is one assembly.</summary>
internal static class WebChatEndpoints
{
    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["/"] = "web/index.html",
        ["/app.js"] = "web/app.js",
        ["/app.css"] = "web/app.css",
        ["/telegram-web-app.js"] = "web/telegram-web-app.js",
    };

    public static void MapWebChat(this IEndpointRouteBuilder app)
    {
        foreach (var (path, resource) in Assets)
        {
            var content = Read(resource);
            var type = Path.GetExtension(resource) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                _ => "text/css; charset=utf-8",
            };
            app.MapGet(path, (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers["X-Content-Type-Options"] = "nosniff";
                return Results.Bytes(content, type);
            });
        }
    }

    private static byte[] Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
