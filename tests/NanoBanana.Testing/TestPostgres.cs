using NanoBanana.Host;
using Xunit;

namespace NanoBanana.Testing;

/// <summary>
/// One private PostgreSQL cluster per test process (started on first use, stopped at exit);
/// every test class asks it for a database of its own.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<EmbeddedPostgres>> Cluster = new(StartAsync);

    public static Task<EmbeddedPostgres> GetAsync() => Cluster.Value;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var cluster = await GetAsync();
        return await cluster.CreateDatabaseAsync($"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)]);
    }

    private static async Task<EmbeddedPostgres> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"nanobanana-test-pg-{Environment.ProcessId}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var cluster = await EmbeddedPostgres.StartAsync(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            try
            {
                // DataDirectory: the temp folder, or its stand-in under /var/lib/nanobanana when the temp
                // directory is private to root (TMPDIR inside a mode-700 folder).
                Directory.Delete(cluster.DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a left-over folder is only disk space.
            }
        };
        return cluster;
    }
}

/// <summary>xunit class fixture: a fresh database for the test class.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync() => ConnectionString = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
