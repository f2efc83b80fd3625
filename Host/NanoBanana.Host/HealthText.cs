using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NanoBanana.Host;

/// <summary><c>/healthz</c> as plain text: "ok" when every check is healthy, else the status and one line per check that is not.</summary>
internal static class HealthText
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (report.Status == HealthStatus.Healthy)
        {
            return context.Response.WriteAsync("ok");
        }

        var lines = report.Entries
            .Where(entry => entry.Value.Status != HealthStatus.Healthy)
            .Select(entry => $"{entry.Key}: {entry.Value.Status.ToString().ToLowerInvariant()}: {entry.Value.Description ?? entry.Value.Exception?.Message}");
        return context.Response.WriteAsync($"{report.Status.ToString().ToLowerInvariant()}\n{string.Join('\n', lines)}\n");
    }
}
