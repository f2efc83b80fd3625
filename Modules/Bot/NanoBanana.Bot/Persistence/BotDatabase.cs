using NanoBanana.BuildingBlocks.Persistence;
using Npgsql;

namespace NanoBanana.Bot.Persistence;

/// <summary>The bot's connection pool (one data source per Host).</summary>
internal sealed class BotDatabase(DatabaseConnection connection) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connection.ConnectionString);

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    public NpgsqlCommand Command(string sql) => _dataSource.CreateCommand(sql);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
