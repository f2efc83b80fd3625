using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NanoBanana.Payments.Tests;

/// <summary>
/// YooKassa API v3 as its documentation describes it: Basic auth (401 invalid_credentials),
/// Idempotence-Key required on POST (same key + same body → the original answer; same key + other
/// body → 400 "Idempotence key duplicated"), payments, refunds, 404 not_found, and injectable 429/500.
/// Recurring payments: a payment created with save_payment_method=true saves its card when paid
/// (payment_method.saved, payment_method.id); a payment with payment_method_id is an autopayment, settled at once
/// (succeeded, or canceled with cancellation_details when declined), and 400 for a method never saved.
/// </summary>
public sealed class FakeYooKassa : FakeServer
{
    public const string ShopId = "506751";
    public const string SecretKey = "test_secret_key";

    private readonly ConcurrentDictionary<string, JsonObject> _payments = new();
    private readonly ConcurrentDictionary<string, (string Body, int Status, string Response)> _keys = new();
    private readonly ConcurrentQueue<int> _failures = new();
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, bool> _savedMethods = new();
    private volatile string? _autopaymentDecline;

    public ConcurrentQueue<(string Method, string Path, string? IdempotenceKey, string Body)> Requests { get; } = new();

    public Uri ApiBase => new(Address, "v3/");

    public static async Task<FakeYooKassa> StartNewAsync()
    {
        var fake = new FakeYooKassa();
        await fake.StartAsync();
        return fake;
    }

    /// <summary>The next <paramref name="times"/> calls fail with <paramref name="status"/> before doing anything.</summary>
    public void FailNext(int status, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _failures.Enqueue(status);
        }
    }

    /// <summary>Autopayments from now on are declined with this cancellation_details.reason (null: they succeed again).</summary>
    public void DeclineAutopayments(string? reason) => _autopaymentDecline = reason;

    /// <summary>What the payer did on YooKassa's page: "succeeded" or "canceled".</summary>
    public void SetStatus(string paymentId, string status)
    {
        lock (_lock)
        {
            var payment = _payments[paymentId];
            payment["status"] = status;
            payment["paid"] = status == "succeeded";
            if (status == "succeeded" && payment["payment_method"] is JsonObject method && method["id"]?.GetValue<string>() is { } methodId && _savedMethods.ContainsKey(methodId))
            {
                method["saved"] = true;
            }

            if (status == "canceled")
            {
                payment["cancellation_details"] = new JsonObject { ["party"] = "yoo_money", ["reason"] = "expired_on_confirmation" };
            }
        }
    }

    /// <summary>A payment created directly (not through our code), e.g. with a foreign amount.</summary>
    public void Put(string paymentId, string status, string value, string orderId)
    {
        _payments[paymentId] = new JsonObject
        {
            ["id"] = paymentId,
            ["status"] = status,
            ["paid"] = status == "succeeded",
            ["amount"] = new JsonObject { ["value"] = value, ["currency"] = "RUB" },
            ["metadata"] = new JsonObject { ["order_id"] = orderId },
            ["test"] = true,
        };
    }

    public JsonObject? Payment(string paymentId) => _payments.TryGetValue(paymentId, out var p) ? p : null;

    public IReadOnlyList<JsonObject> Payments => [.. _payments.Values];

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v3/payments", context => HandleAsync(context, true, CreatePayment));
        app.MapGet("/v3/payments/{id}", context => HandleAsync(context, false, (_, ctx) => GetPayment((string)ctx.Request.RouteValues["id"]!)));
        app.MapPost("/v3/refunds", context => HandleAsync(context, true, CreateRefund));
    }

    private async Task HandleAsync(HttpContext context, bool needsKey, Func<JsonObject?, HttpContext, (int Status, JsonObject Body)> handle)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var key = context.Request.Headers["Idempotence-Key"].FirstOrDefault();
        Requests.Enqueue((context.Request.Method, context.Request.Path.Value!, key, body));

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ShopId}:{SecretKey}"));
        if (context.Request.Headers.Authorization.ToString() != expected)
        {
            await WriteAsync(context, 401, Error("invalid_credentials", "Authentication by given credentials failed"));
            return;
        }

        if (_failures.TryDequeue(out var failure))
        {
            await WriteAsync(context, failure, Error(failure == 429 ? "too_many_requests" : "internal_server_error", "injected failure"));
            return;
        }

        if (needsKey && string.IsNullOrEmpty(key))
        {
            await WriteAsync(context, 400, Error("invalid_request", "Idempotence key is missing", "Idempotence-Key"));
            return;
        }

        (int Status, string Response) answer;
        lock (_lock)
        {
            if (needsKey && _keys.TryGetValue(key!, out var seen))
            {
                answer = seen.Body == body
                    ? (seen.Status, seen.Response)
                    : (400, Error("invalid_request", "Idempotence key duplicated", "Idempotence-Key").ToJsonString());
            }
            else
            {
                JsonObject? request = null;
                try
                {
                    request = body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null;
                }
                catch (System.Text.Json.JsonException)
                {
                }

                var (status, response) = needsKey && request is null ? (400, Error("invalid_request", "Request body is not JSON")) : handle(request, context);
                answer = (status, response.ToJsonString());
                if (needsKey)
                {
                    _keys[key!] = (body, status, answer.Response);
                }
            }
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Response);
    }

    private (int, JsonObject) CreatePayment(JsonObject? request, HttpContext context)
    {
        if (request?["amount"]?["value"] is not JsonValue value || !decimal.TryParse(value.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            return (400, Error("invalid_request", "Amount is missing or not a decimal string", "amount.value"));
        }

        var id = Guid.NewGuid().ToString();
        if (request["payment_method_id"]?.GetValue<string>() is { } savedId)
        {
            return Autopayment(id, savedId, request);
        }

        var confirmationType = request["confirmation"]?["type"]?.GetValue<string>();
        var confirmation = confirmationType == "embedded"
            ? new JsonObject { ["type"] = "embedded", ["confirmation_token"] = "ct-" + id }
            : new JsonObject { ["type"] = "redirect", ["confirmation_url"] = $"https://yoomoney.ru/checkout/payments/v2/contract?orderId={id}" };
        var payment = new JsonObject
        {
            ["id"] = id,
            ["status"] = "pending",
            ["paid"] = false,
            ["amount"] = request["amount"]!.DeepClone(),
            ["confirmation"] = confirmation,
            ["created_at"] = "2026-11-21T10:00:00.000Z",
            ["description"] = request["description"]?.DeepClone(),
            ["metadata"] = request["metadata"]?.DeepClone(),
            ["recipient"] = new JsonObject { ["account_id"] = ShopId, ["gateway_id"] = "1" },
            ["refundable"] = false,
            ["test"] = true,
            ["receipt_sent"] = request["receipt"] is not null,
        };
        if (request["save_payment_method"]?.GetValue<bool>() == true)
        {
            // The card the payer will enter; saved (and usable for autopayments) once the payment succeeds.
            var methodId = "pm-" + id;
            _savedMethods[methodId] = true;
            payment["payment_method"] = new JsonObject { ["type"] = "bank_card", ["id"] = methodId, ["saved"] = false, ["title"] = "Bank card *4444" };
        }

        _payments[id] = payment;
        return (200, (JsonObject)payment.DeepClone());
    }

    private (int, JsonObject) Autopayment(string id, string methodId, JsonObject request)
    {
        if (!_savedMethods.ContainsKey(methodId) || request["confirmation"] is not null)
        {
            return (400, Error("invalid_request", "Payment method is not saved or a confirmation was sent with it", "payment_method_id"));
        }

        var decline = _autopaymentDecline;
        var payment = new JsonObject
        {
            ["id"] = id,
            ["status"] = decline is null ? "succeeded" : "canceled",
            ["paid"] = decline is null,
            ["amount"] = request["amount"]!.DeepClone(),
            ["created_at"] = "2026-12-07T10:00:00.000Z",
            ["description"] = request["description"]?.DeepClone(),
            ["metadata"] = request["metadata"]?.DeepClone(),
            ["payment_method"] = new JsonObject { ["type"] = "bank_card", ["id"] = methodId, ["saved"] = decline != "permission_revoked", ["title"] = "Bank card *4444" },
            ["test"] = true,
        };
        if (decline is not null)
        {
            payment["cancellation_details"] = new JsonObject { ["party"] = decline == "permission_revoked" ? "yoo_kassa" : "payment_network", ["reason"] = decline };
        }

        _payments[id] = payment;
        return (200, (JsonObject)payment.DeepClone());
    }

    private (int, JsonObject) GetPayment(string id) =>
        _payments.TryGetValue(id, out var payment)
            ? (200, (JsonObject)payment.DeepClone())
            : (404, Error("not_found", "Payment doesn't exist or access denied", "payment_id"));

    private (int, JsonObject) CreateRefund(JsonObject? request, HttpContext context)
    {
        var paymentId = request?["payment_id"]?.GetValue<string>();
        if (paymentId is null || !_payments.TryGetValue(paymentId, out var payment))
        {
            return (404, Error("not_found", "Payment doesn't exist or access denied", "payment_id"));
        }

        if (payment["status"]!.GetValue<string>() != "succeeded")
        {
            return (400, Error("invalid_request", "Payment is not succeeded", "payment_id"));
        }

        return (200, new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["status"] = "succeeded",
            ["payment_id"] = paymentId,
            ["amount"] = request!["amount"]!.DeepClone(),
            ["created_at"] = "2026-11-21T10:05:00.000Z",
        });
    }

    private static JsonObject Error(string code, string description, string? parameter = null) => new()
    {
        ["type"] = "error",
        ["id"] = Guid.NewGuid().ToString(),
        ["code"] = code,
        ["description"] = description,
        ["parameter"] = parameter,
    };

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
