using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NanoBanana.Payments.Tests;

/// <summary>
/// The Bot API's createInvoiceLink, refundStarPayment and editUserStarSubscription with Telegram's {ok, result}
/// envelope (other methods answered blandly, not recorded).
/// </summary>
public sealed class FakeTelegram : FakeServer
{
    public const string Token = "123456:TEST-token";

    public ConcurrentQueue<(string Method, JsonObject Body)> Calls { get; } = new();

    /// <summary>Charges refundStarPayment accepts once; anything else gets Telegram's CHARGE_NOT_FOUND.</summary>
    public ConcurrentDictionary<string, bool> RefundableCharges { get; } = new();

    public static async Task<FakeTelegram> StartNewAsync()
    {
        var fake = new FakeTelegram();
        await fake.StartAsync();
        return fake;
    }

    protected override void Map(WebApplication app) =>
        app.MapPost("/bot{token}/{method}", async (string token, string method, HttpContext context) =>
        {
            if (method is not ("createInvoiceLink" or "refundStarPayment" or "editUserStarSubscription"))
            {
                // The Host also runs the bot adapter (commands, menu button, long polling): answer it
                // blandly and keep it out of the payment calls these tests inspect.
                if (method == "getUpdates")
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
                    return Results.Json(new { ok = true, result = Array.Empty<object>() });
                }

                return Results.Json(new { ok = true, result = true });
            }

            var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject();
            Calls.Enqueue((method, body));
            if (token != Token)
            {
                return Results.Json(new { ok = false, error_code = 401, description = "Unauthorized" }, statusCode: 401);
            }

            switch (method)
            {
                case "createInvoiceLink":
                    var prices = body["prices"]!.AsArray();
                    if (body["currency"]!.GetValue<string>() != "XTR" || prices.Count != 1)
                    {
                        return Results.Json(new { ok = false, error_code = 400, description = "Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID" }, statusCode: 400);
                    }

                    if (body["subscription_period"] is { } period && period.GetValue<int>() != 2_592_000)
                    {
                        return Results.Json(new { ok = false, error_code = 400, description = "Bad Request: SUBSCRIPTION_PERIOD_INVALID" }, statusCode: 400);
                    }

                    return Results.Json(new { ok = true, result = "https://t.me/$" + body["payload"]!.GetValue<string>() });
                case "refundStarPayment":
                    var charge = body["telegram_payment_charge_id"]!.GetValue<string>();
                    return RefundableCharges.TryRemove(charge, out _)
                        ? Results.Json(new { ok = true, result = true })
                        : Results.Json(new { ok = false, error_code = 400, description = "Bad Request: CHARGE_NOT_FOUND" }, statusCode: 400);
                case "editUserStarSubscription":
                    // Telegram.Bot leaves a false is_canceled out of the body; an absent boolean reads as false.
                    return body["user_id"] is null || body["telegram_payment_charge_id"] is null
                        ? Results.Json(new { ok = false, error_code = 400, description = "Bad Request: parameters missing" }, statusCode: 400)
                        : Results.Json(new { ok = true, result = true });
                default:
                    return Results.Json(new { ok = false, error_code = 404, description = "Not Found: method not found" }, statusCode: 404);
            }
        });
}
