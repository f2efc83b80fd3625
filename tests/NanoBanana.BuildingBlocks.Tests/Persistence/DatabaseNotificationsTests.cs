using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Persistence;

/// <summary>The Host's one listening connection against real PostgreSQL: commits arrive, rollbacks do not, a lost connection comes back.</summary>
public sealed class DatabaseNotificationsTests
{
    private const string ChannelName = "test_changes";

    [Fact]
    public async Task Only_committed_notifications_arrive_and_they_arrive_in_commit_order()
    {
        await using var rig = await Rig.StartAsync();

        await rig.NotifyAsync("rolled back", commit: false);
        await rig.NotifyAsync("first", commit: true);
        await rig.NotifyAsync("second", commit: true);

        Assert.Equal("notification: first", await rig.NextAsync());
        Assert.Equal("notification: second", await rig.NextAsync());
    }

    [Fact]
    public async Task A_lost_listening_connection_is_announced_and_replaced()
    {
        await using var rig = await Rig.StartAsync();

        await rig.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");

        Assert.Equal("listening: False", await rig.NextAsync());
        Assert.Equal("listening: True", await rig.NextAsync());
        await rig.NotifyAsync("after the reconnect", commit: true);
        Assert.Equal("notification: after the reconnect", await rig.NextAsync());
    }

    private sealed class RecordingHandler : IDatabaseNotificationHandler
    {
        public Channel<string> Events { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public string Channel => ChannelName;

        public void OnNotification(string payload) => Events.Writer.TryWrite("notification: " + payload);

        public void OnListeningChanged(bool listening) => Events.Writer.TryWrite("listening: " + listening);
    }

    private sealed class Rig(string connectionString, DatabaseNotifications notifications, RecordingHandler handler) : IAsyncDisposable
    {
        public static async Task<Rig> StartAsync()
        {
            var connectionString = await TestPostgres.CreateDatabaseAsync("notify");
            var handler = new RecordingHandler();
            var notifications = new DatabaseNotifications(new DatabaseConnection(connectionString), [handler], NullLogger<DatabaseNotifications>.Instance);
            await notifications.StartAsync(CancellationToken.None);
            var rig = new Rig(connectionString, notifications, handler);
            Assert.Equal("listening: True", await rig.NextAsync());
            return rig;
        }

        /// <summary>The next thing the handler was told; fails the test if nothing comes within a minute.</summary>
        public async Task<string> NextAsync()
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            return await handler.Events.Reader.ReadAsync(patience.Token);
        }

        public async Task NotifyAsync(string payload, bool commit)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection, transaction))
            {
                notify.Parameters.AddWithValue("channel", ChannelName);
                notify.Parameters.AddWithValue("payload", payload);
                await notify.ExecuteNonQueryAsync();
            }

            if (commit)
            {
                await transaction.CommitAsync();
            }
            else
            {
                await transaction.RollbackAsync();
            }
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await notifications.StopAsync(CancellationToken.None);
            notifications.Dispose();
        }
    }
}
