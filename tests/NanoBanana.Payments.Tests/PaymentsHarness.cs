using System.Collections.Concurrent;
using Ardalis.Result;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;
using NanoBanana.Testing;

namespace NanoBanana.Payments.Tests;

/// <summary>Records every PaymentSucceeded the outbox delivers (a real subscriber of the real event).</summary>
public sealed class DeliveredPayments
{
    public ConcurrentQueue<(Guid EventId, PaymentSucceeded Event)> Events { get; } = new();
}

internal sealed class RecordingSubscriber(DeliveredPayments delivered) : IIntegrationEventHandler<PaymentSucceeded>
{
    public Task HandleAsync(PaymentSucceeded integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        delivered.Events.Enqueue((context.EventId, integrationEvent));
        return Task.CompletedTask;
    }
}

/// <summary>Fake YooKassa + fake Bot API + the real Host(s) on one test database.</summary>
public sealed class PaymentsHarness : IAsyncDisposable
{
    private readonly List<TestHost> _hosts = [];

    private PaymentsHarness(FakeYooKassa yooKassa, FakeTelegram telegram, string connectionString)
    {
        YooKassa = yooKassa;
        Telegram = telegram;
        ConnectionString = connectionString;
    }

    public FakeYooKassa YooKassa { get; }

    public FakeTelegram Telegram { get; }

    public string ConnectionString { get; }

    public DeliveredPayments Delivered { get; } = new();

    public TestHost Host => _hosts[0];

    public IReadOnlyList<TestHost> Hosts => _hosts;

    public static async Task<PaymentsHarness> StartAsync(string connectionString, int hosts = 1, IDictionary<string, string?>? extra = null)
    {
        var harness = new PaymentsHarness(await FakeYooKassa.StartNewAsync(), await FakeTelegram.StartNewAsync(), connectionString);
        for (var i = 0; i < hosts; i++)
        {
            // One after the other: the first applies the migrations, the next finds them applied.
            harness._hosts.Add(await TestHost.StartAsync(connectionString, settings: harness.Settings(extra), configure: builder =>
            {
                builder.Services.AddSingleton(harness.Delivered);
                builder.Services.AddIntegrationEventHandler<PaymentSucceeded, RecordingSubscriber>();
            }));
        }

        return harness;
    }

    private Dictionary<string, string?> Settings(IDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Payments:SandboxEnabled"] = "true",
            // The tests run the reconciler themselves.
            ["Payments:ReconcileInterval"] = "01:00:00",
            ["Payments:YooKassa:BaseUrl"] = YooKassa.ApiBase.ToString(),
            ["Payments:YooKassa:ShopId"] = FakeYooKassa.ShopId,
            ["Payments:YooKassa:SecretKey"] = FakeYooKassa.SecretKey,
            ["Payments:YooKassa:ReturnUrl"] = "https://t.me/nanobanana_bot",
            ["Payments:YooKassa:FirstRetryDelay"] = "00:00:00.010",
            // Notifications reach the Host from 127.0.0.1, a trusted proxy that appends the real source.
            ["Payments:YooKassa:TrustedProxies:0"] = "127.0.0.1",
            ["Telegram:BotToken"] = FakeTelegram.Token,
            ["Telegram:ApiBaseUrl"] = Telegram.Address.ToString(),
            ["Outbox:PollInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public Task<Result<T>> SendAsync<T>(IUseCase<T> request, Principal? principal = null) => SendAsync(Host, request, principal);

    public static Task<Result<T>> SendAsync<T>(TestHost host, IUseCase<T> request, Principal? principal = null) =>
        host.SendAsync(principal ?? Principal.Module, request);

    /// <summary>A server-streaming use case; its scope lives until the stream is enumerated to its end.</summary>
    public Task<Result<IAsyncEnumerable<T>>> StreamAsync<T>(IStreamUseCase<T> request, Principal principal) => Host.StreamAsync(principal, request);

    /// <summary>PaymentSucceeded events queued in the outbox for <paramref name="orderId"/> — the number of credits Billing will grant.</summary>
    public async Task<int> SucceededEventsAsync(string orderId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var payloads = await db.Database.SqlQuery<byte[]>($"SELECT payload AS \"Value\" FROM payments.outbox WHERE type = 'nanobanana.payments.v1.PaymentSucceeded'").ToListAsync();
        return payloads.Select(PaymentSucceeded.Parser.ParseFrom).Count(e => e.OrderId == orderId);
    }

    public async Task<TopUp> OrderAsync(string orderId) => (await SendAsync(new GetTopUpRequest { OrderId = orderId })).Value.TopUp;

    public async Task<int> NotificationsAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Notifications.CountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await YooKassa.DisposeAsync();
        await Telegram.DisposeAsync();
    }
}
