using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace NanoBanana.Host;

/// <summary>
/// Serves the built Mini App (Host/MiniApp → wwwroot/app) at /app/ on the HTTP port: hashed assets
/// cached for good, index.html never cached, unknown paths fall back to index.html.
/// </summary>
internal static class MiniAppEndpoints
{
    // blob: images are object URLs of photos the user picked on the device (the try-on previews); they never leave the page.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "frame-ancestors https://web.telegram.org https://*.telegram.org";

    public static void MapMiniApp(this WebApplication app)
    {
        // MiniApp:FrameAncestors: more origins that may embed the Mini App (the playground's web chat).
        var frameAncestors = app.Configuration.GetSection("MiniApp:FrameAncestors").Get<string[]>() ?? [];
        var contentSecurityPolicy = string.Join(' ', [ContentSecurityPolicy, .. frameAncestors]);
        var folder = app.Configuration["MiniApp:Root"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(app.Environment.ContentRootPath, "wwwroot", "app");
        var types = new FileExtensionContentTypeProvider();

        app.MapGet("/app/{**path}", (string? path, HttpContext context) =>
        {
            if (context.Request.Path.Value == "/app")
            {
                return Results.Redirect("/app/");
            }

            if (!Directory.Exists(folder))
            {
                return Results.Text("The Mini App is not built (./nb builds it from Host/MiniApp).", statusCode: StatusCodes.Status404NotFound);
            }

            using var files = new PhysicalFileProvider(Path.GetFullPath(folder));
            var file = string.IsNullOrEmpty(path) ? null : files.GetFileInfo(path);
            var isAsset = file is { Exists: true, IsDirectory: false };
            if (!isAsset)
            {
                file = files.GetFileInfo("index.html");
                if (!file.Exists)
                {
                    return Results.NotFound();
                }
            }

            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = contentSecurityPolicy;
            headers.CacheControl = isAsset && path!.StartsWith("assets/", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";
            var contentType = types.TryGetContentType(file!.Name, out var type) ? type : "application/octet-stream";
            return Results.File(file.PhysicalPath!, contentType);
        });
    }
}
