using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace NanoBanana.BuildingBlocks.Persistence;

/// <summary>
/// Reacts to PostgreSQL notifications on one channel. Writers send them in their own transaction
/// (<c>pg_notify</c>, typically from a trigger), so they arrive on commit, in every Host process, and never
/// for a rolled-back change. Called on the listening connection's loop: return quickly.
/// </summary>
public interface IDatabaseNotificationHandler
{
    string Channel { get; }

    void OnNotification(string payload);

    /// <summary>
    /// The listening connection was established (true) or lost (false). Notifications sent while it was down
    /// are lost, so on true a handler treats anything as changed; on false it falls back to polling or expiry.
    /// </summary>
    void OnListeningChanged(bool listening);
}

/// <summary>
/// One connection per Host process that LISTENs on every channel a handler was registered for and hands
/// each notification to that channel's handlers (ADR 0121). When the connection breaks it tells the handlers
/// and reconnects.
/// </summary>
public sealed partial class DatabaseNotifications(
    DatabaseConnection connection,
    IEnumerable<IDatabaseNotificationHandler> handlers,
    ILogger<DatabaseNotifications> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly FrozenDictionary<string, IDatabaseNotificationHandler[]> _handlers =
        handlers.GroupBy(h => h.Channel, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogListenFailed(logger, exception, ReconnectDelay.TotalSeconds);
            }
            finally
            {
                Announce(listening: false);
            }

            try
            {
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        // Keepalive: a connection that died silently (no RST) is noticed and replaced, instead of waiting forever.
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { KeepAlive = 10, Pooling = false };
        await using var listener = new NpgsqlConnection(builder.ConnectionString);
        await listener.OpenAsync(stoppingToken);
        listener.Notification += (_, notification) => Dispatch(notification.Channel, notification.Payload);
        await using (var listen = listener.CreateCommand())
        {
            listen.CommandText = string.Concat(_handlers.Keys.Select(channel => $"LISTEN \"{channel.Replace("\"", "\"\"", StringComparison.Ordinal)}\";"));
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        Announce(listening: true);

        while (true)
        {
            await listener.WaitAsync(stoppingToken);
        }
    }

    private void Announce(bool listening)
    {
        foreach (var (channel, subscribed) in _handlers)
        {
            foreach (var handler in subscribed)
            {
                try
                {
                    handler.OnListeningChanged(listening);
                }
                catch (Exception exception)
                {
                    LogHandlerFailed(logger, exception, channel);
                }
            }
        }
    }

    private void Dispatch(string channel, string payload)
    {
        if (!_handlers.TryGetValue(channel, out var subscribed))
        {
            return;
        }

        foreach (var handler in subscribed)
        {
            try
            {
                handler.OnNotification(payload);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(logger, exception, channel);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for database notifications failed; reconnecting in {DelaySeconds} s")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler of database notifications on {Channel} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string channel);
}

public static class DatabaseNotificationRegistration
{
    /// <summary>
    /// Subscribes the singleton <typeparamref name="THandler"/> (registered by the module) to its channel and
    /// runs the Host's one listener.
    /// </summary>
    public static IServiceCollection AddDatabaseNotificationHandler<THandler>(this IServiceCollection services)
        where THandler : class, IDatabaseNotificationHandler
    {
        services.AddSingleton<IDatabaseNotificationHandler>(provider => provider.GetRequiredService<THandler>());
        services.TryAddSingleton<DatabaseNotifications>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseNotifications>(provider => provider.GetRequiredService<DatabaseNotifications>()));
        return services;
    }
}
