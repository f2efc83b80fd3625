using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Settlement;

namespace NanoBanana.Payments.Providers.YooKassa;

/// <summary>
/// POST /payments/yookassa/notifications. Notifications carry no signature, so: source address
/// checked, the notification recorded, then the payment re-fetched from YooKassa and only the
/// fetched status acted on. 200 once recorded — a failed re-fetch is retried by the reconciler,
/// not by making YooKassa redeliver.
/// </summary>
internal static partial class YooKassaNotificationEndpoint
{
    public const string Path = "/payments/yookassa/notifications";

    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext context, NotificationSourceCheck sources, IServiceScopeFactory scopes, TimeProvider clock, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(YooKassaNotificationEndpoint));
        var source = sources.ClientAddress(context);
        if (!sources.IsAllowed(source))
        {
            LogRejectedSource(logger, source?.ToString() ?? "unknown");
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null || !TryParse(body, out var eventName, out var objectId))
        {
            return Results.BadRequest("Expected {\"type\":\"notification\",\"event\":\"…\",\"object\":{\"id\":\"…\"}}.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var notification = new ProviderNotification
        {
            Event = eventName,
            ObjectId = objectId,
            RemoteAddress = source!.ToString(),
            Body = body,
            ReceivedAt = clock.GetUtcNow(),
        };
        db.Notifications.Add(notification);
        await db.SaveChangesAsync(context.RequestAborted);

        if (eventName.StartsWith("payment.", StringComparison.Ordinal))
        {
            try
            {
                var applier = scope.ServiceProvider.GetRequiredService<YooKassaPaymentApplier>();
                notification.Outcome = await applier.RefetchAndApplyAsync(objectId, context.RequestAborted);
            }
            catch (Exception exception) when (exception is YooKassaException or HttpRequestException or OperationCanceledException)
            {
                // Recorded already; the reconciliation job re-fetches pending orders, so nothing is lost.
                LogRefetchFailed(logger, exception, objectId);
                notification.Outcome = "refetch-failed";
            }
        }
        else
        {
            notification.Outcome = "ignored-event";
        }

        notification.ProcessedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        return Results.Ok();
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxBodyBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return read > MaxBodyBytes ? null : new string(buffer, 0, read);
    }

    private static bool TryParse(string body, out string eventName, out string objectId)
    {
        eventName = objectId = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "notification"
                || !root.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object
                || !obj.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            eventName = evt.GetString()!;
            objectId = id.GetString()!;
            return eventName.Length is > 0 and <= 100 && objectId.Length is > 0 and <= 100;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "YooKassa notification refused: source {Source} is not in the allow-list")]
    private static partial void LogRejectedSource(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "YooKassa notification for {PaymentId} recorded, re-fetch failed; reconciliation will retry")]
    private static partial void LogRefetchFailed(ILogger logger, Exception exception, string paymentId);
}
