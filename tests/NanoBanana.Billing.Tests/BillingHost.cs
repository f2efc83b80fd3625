using Ardalis.Result;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Options.V1;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.Billing.Tests;

/// <summary>The real Host running the Billing module on a database of its own, with a hand-moved clock.</summary>
public sealed class BillingHost : IAsyncLifetime
{
    private long _nextUserId;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));

    public TestHost Host { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("billing");
        // Commits still happen in order and atomically; only the per-commit WAL flush is skipped, which makes the
        // thousands of tiny transactions here affordable on a 2-core machine (no test crashes the cluster).
        await ExecuteSqlAsync($"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}\" SET synchronous_commit = off");
        Host = await TestHost.StartAsync(
            ConnectionString,
            // Billing reads the plans (rollover, the free allowance) from the Catalog.
            [new BillingModule(), new Catalog.CatalogModule()],
            new Dictionary<string, string?>
            {
                // Tests sweep by hand; the background pass must not race them.
                ["Billing:HoldSweepInterval"] = "01:00:00",
                ["Billing:GrantSweepInterval"] = "01:00:00",
                ["Outbox:PollInterval"] = "00:00:00.100",
            },
            builder => builder.Services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Whatever the class did, its books must balance at the end (a drift fails the class).</summary>
    public async Task DisposeAsync()
    {
        try
        {
            var check = await AsAdmin(new CheckLedgerRequest());
            Assert.True(check.IsSuccess && check.Value.Drifts.Count == 0, $"CheckLedger after the class: {check}");
            await AssertInvariantsAsync();
        }
        finally
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>A user id no other test of the class uses.</summary>
    public long NewUser() => 1_000_000 + Interlocked.Increment(ref _nextUserId);

    public Task<Result<T>> AsModule<T>(IUseCase<T> request) => SendAsync(Principal.Module, request);

    public Task<Result<T>> AsUser<T>(long userId, IUseCase<T> request) => SendAsync(Principal.ForUser(userId), request);

    public Task<Result<T>> AsAdmin<T>(IUseCase<T> request) => SendAsync(Principal.ForApiKey("ops-console", Role.Admin), request);

    public Task<Result<T>> SendAsync<T>(Principal principal, IUseCase<T> request) => Host.SendAsync(principal, request);

    public async Task<Balance> FundAsync(long userId, long amount)
    {
        var result = await AsModule(new CreditRequest { UserId = userId, Amount = amount, Kind = EntryKind.AdminGrant, IdempotencyKey = $"fund:{Guid.NewGuid()}" });
        Assert.True(result.IsSuccess, result.Describe());
        return result.Value.Balance;
    }

    public async Task<Balance> BalanceAsync(long userId) => (await AsUser(userId, new GetBalanceRequest())).Value.Balance;

    /// <summary>Delivers an integration event to its Billing handler, as the outbox dispatcher does.</summary>
    public async Task DeliverAsync<TEvent, THandler>(TEvent integrationEvent, Guid eventId)
        where TEvent : Google.Protobuf.IMessage
        where THandler : IIntegrationEventHandler<TEvent>
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<THandler>();
        await handler.HandleAsync(integrationEvent, new IntegrationEventContext(eventId, Clock.GetUtcNow()), CancellationToken.None);
    }

    /// <summary>The invariants, computed straight from the tables (independently of CheckLedger).</summary>
    public async Task AssertInvariantsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT a.user_id, a.available, a.reserved,
                   coalesce((SELECT sum(amount) FROM billing.ledger l WHERE l.user_id = a.user_id), 0),
                   coalesce((SELECT sum(amount) FROM billing.holds h WHERE h.user_id = a.user_id AND h.status = 'open'), 0),
                   (SELECT available_after FROM billing.ledger l WHERE l.user_id = a.user_id ORDER BY id DESC LIMIT 1),
                   (SELECT reserved_after FROM billing.ledger l WHERE l.user_id = a.user_id ORDER BY id DESC LIMIT 1),
                   coalesce((SELECT sum(remaining) FROM billing.credit_grants g WHERE g.user_id = a.user_id AND g.expired_at IS NULL), 0)
            FROM billing.accounts a
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (user, available, reserved, ledger, holds) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            Assert.True(available >= 0 && reserved >= 0, $"user {user}: negative balance");
            Assert.True(available + reserved == ledger, $"user {user}: {available}+{reserved} != ledger {ledger}");
            Assert.True(reserved == holds, $"user {user}: reserved {reserved} != open holds {holds}");
            Assert.True(reader.GetInt64(7) <= available, $"user {user}: expiring credits {reader.GetInt64(7)} > available {available}");
            if (!reader.IsDBNull(5))
            {
                Assert.Equal((available, reserved), (reader.GetInt64(5), reader.GetInt64(6)));
            }
        }
    }

    public async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public DatabaseConnection Database => Host.Services.GetRequiredService<DatabaseConnection>();
}
