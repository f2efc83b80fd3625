using System.Diagnostics;
using System.Globalization;
using NanoBanana.Host;
using Xunit;

namespace NanoBanana.Testing;

/// <summary>
/// One private PostgreSQL cluster per test process (started on first use, stopped at exit);
/// every test class asks it for a database of its own.
/// </summary>
public static class TestPostgres
{
    private const string FolderPrefix = "nanobanana-test-pg-";
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
        RemoveLeftOvers();
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Environment.ProcessId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var cluster = await EmbeddedPostgres.StartAsync(folder);
        RemoveWhenThisProcessEnds(cluster.DataDirectory, folder);
        return cluster;
    }

    /// <summary>
    /// dotnet test kills the test process about 100 ms after its last test, before any exit handler could stop
    /// the cluster and delete its data (≈ 1 GB after a suite's databases): a watcher in a session of its own
    /// outlives the kill, then stops the cluster (SIGQUIT to the postmaster: immediate shutdown) and deletes it.
    /// </summary>
    private static void RemoveWhenThisProcessEnds(params string[] folders)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            owner="$1"; shift
            while kill -0 "$owner" 2>/dev/null; do sleep 1; done
            for folder in "$@"; do
              if [ -f "$folder/postmaster.pid" ]; then
                kill -QUIT "$(head -n 1 "$folder/postmaster.pid")" 2>/dev/null
                for _ in $(seq 1 40); do [ -f "$folder/postmaster.pid" ] || break; sleep 0.25; done
              fi
              rm -rf "$folder"
            done
            """;
        var start = new ProcessStartInfo("setsid", ["sh", "-c", script, "cluster-watcher", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), .. folders.Distinct()])
        {
            UseShellExecute = false,
            // Pipes, not the test process's own output: dotnet test waits for every holder of that to close it.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        using var watcher = Process.Start(start) ?? throw new InvalidOperationException("Could not start the test cluster's watcher (setsid).");
    }

    /// <summary>Clusters of test processes that ended without their watcher (a machine that stopped mid-run).</summary>
    private static void RemoveLeftOvers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.GetFileName(folder)[FolderPrefix.Length..];
            if (!int.TryParse(owner, CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
            {
                continue;
            }

            if (PostmasterOf(folder) is { } postmaster && IsAlive(postmaster))
            {
                // Its own test process is gone: nobody will use this cluster again.
                using var process = Process.GetProcessById(postmaster);
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another test process removing it at the same moment, or not ours to remove.
            }
        }
    }

    private static int? PostmasterOf(string folder)
    {
        try
        {
            var pidFile = Path.Combine(folder, "postmaster.pid");
            return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>xunit class fixture: a fresh database for the test class.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync() => ConnectionString = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
