using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Observability;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Testing;

namespace NanoBanana.BuildingBlocks.Tests;

/// <summary>A module-shaped context: an outbox, an inbox, and one table a subscriber changes.</summary>
internal sealed class OutboxTestContext(DbContextOptions<OutboxTestContext> options) : DbContext(options)
{
    public const string Schema = "obtest";

    public DbSet<Effect> Effects => Set<Effect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Effect>(effect =>
        {
            effect.ToTable("effects");
            effect.HasKey(e => e.Id);
            effect.Property(e => e.Id).HasColumnName("id");
            effect.Property(e => e.EventId).HasColumnName("event_id");
        });
        modelBuilder.AddOutbox().AddInbox();
    }
}

internal sealed class Effect
{
    public Guid Id { get; set; }

    public Guid EventId { get; set; }
}

[DbContext(typeof(OutboxTestContext))]
[Migration("20261121000001_Initial")]
internal sealed class OutboxTestInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("CREATE SCHEMA IF NOT EXISTS obtest; CREATE TABLE obtest.effects (id uuid PRIMARY KEY, event_id uuid NOT NULL);");
        migrationBuilder.CreateOutboxTable(OutboxTestContext.Schema);
        migrationBuilder.CreateInboxTable(OutboxTestContext.Schema);
    }
}

/// <summary>What the test subscriber should do and what it saw.</summary>
internal sealed class SubscriberScript
{
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();
    private readonly ConcurrentDictionary<Guid, int> _inFlight = new();

    public ConcurrentQueue<Guid> Deliveries { get; } = new();

    public int Overlaps;

    public void FailTimes(string payload, int times) => _failuresLeft[payload] = times;

    public async Task OnDeliveryAsync(StringValue message, Guid eventId)
    {
        if (_inFlight.AddOrUpdate(eventId, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref Overlaps);
        }

        try
        {
            await Task.Yield();
            if (_failuresLeft.TryGetValue(message.Value, out var left) && left > 0)
            {
                _failuresLeft[message.Value] = left - 1;
                throw new InvalidOperationException($"Subscriber refused {message.Value}.");
            }

            Deliveries.Enqueue(eventId);
        }
        finally
        {
            _inFlight.AddOrUpdate(eventId, 0, (_, n) => n - 1);
        }
    }
}

internal sealed class ScriptedHandler(SubscriberScript script) : IIntegrationEventHandler<StringValue>
{
    public Task HandleAsync(StringValue integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
        script.OnDeliveryAsync(integrationEvent, context.EventId);
}

/// <summary>A subscriber with an inbox: its effect row and the inbox row commit together.</summary>
internal sealed class InboxCountingHandler(OutboxTestContext db, TimeProvider clock) : InboxEventHandler<StringValue, OutboxTestContext>(db, clock)
{
    protected override Task HandleOnceAsync(StringValue integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        DbContext.Effects.Add(new Effect { Id = Guid.NewGuid(), EventId = context.EventId });
        return Task.CompletedTask;
    }
}

/// <summary>A migrated database plus the messaging services, without a Host, so dispatch runs step by step.</summary>
internal sealed class OutboxRig : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private OutboxRig(ServiceProvider provider) => _provider = provider;

    public IServiceProvider Services => _provider;

    public SubscriberScript Script => _provider.GetRequiredService<SubscriberScript>();

    public OutboxOptions Options => _provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutboxOptions>>().Value;

    public static async Task<OutboxRig> StartAsync(int maxAttempts = 10, TimeSpan? firstRetryDelay = null)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("outbox");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Outbox:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Outbox:FirstRetryDelay"] = (firstRetryDelay ?? TimeSpan.Zero).ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(new DatabaseConnection(connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SubscriberScript>();
        services.AddPrometheusMetrics();
        services.AddModuleDbContext<OutboxTestContext>(OutboxTestContext.Schema);
        services.AddOutboxDispatcher(OutboxTestContext.Schema);
        services.AddIntegrationEventHandler<StringValue, ScriptedHandler>();
        var provider = services.BuildServiceProvider();
        foreach (var migrator in provider.GetServices<IModuleMigrator>())
        {
            await migrator.MigrateAsync(provider, CancellationToken.None);
        }

        return new OutboxRig(provider);
    }

    /// <summary>A dispatcher instance as a Host replica would run it.</summary>
    internal OutboxDispatcher NewDispatcher() => ActivatorUtilities.CreateInstance<OutboxDispatcher>(_provider, OutboxTestContext.Schema);

    internal OutboxDispatcher HostedDispatcher => _provider.GetServices<IHostedService>().OfType<OutboxDispatcher>().Single();

    public async Task<List<Guid>> PublishAsync(params string[] payloads)
    {
        await using var scope = _provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OutboxTestContext>();
        var ids = payloads.Select(p => db.AddIntegrationEvent(new StringValue { Value = p }, TimeProvider.System)).ToList();
        await db.SaveChangesAsync();
        return ids;
    }

    public async Task<OutboxMessage> RowAsync(Guid id)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxTestContext>().Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
