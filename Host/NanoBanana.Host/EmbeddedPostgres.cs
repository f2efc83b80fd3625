using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NanoBanana.Host;

/// <summary>
/// A private PostgreSQL cluster started from the machine's binaries: the offline default of the
/// Host and the database of the test suite. initdb runs once per data folder; start picks a free
/// loopback port. As root (PostgreSQL refuses to run as root) every command runs as the
/// unprivileged <c>postgres</c> user, which owns the data folder; when that user cannot reach the
/// requested folder (a checkout inside a private folder such as a mode-700 home), the data is kept in
/// <c>/var/lib/nanobanana/&lt;hash of the requested path&gt;</c> instead (<see cref="DataDirectory"/>).
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "nanobanana";
    private const string SharedDataRoot = "/var/lib/nanobanana";
    private readonly string _dataDirectory;
    private readonly string _binDirectory;
    private readonly ILogger _logger;
    private bool _startedByUs;

    private EmbeddedPostgres(string dataDirectory, string binDirectory, ILogger logger)
    {
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _logger = logger;
    }

    public int Port { get; private set; }

    /// <summary>Where the cluster's data lives: the requested folder, or its stand-in under /var/lib/nanobanana.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>Connection string to <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database};Pooling=true;Maximum Pool Size=50;Include Error Detail=true";

    /// <summary>Starts (initialising when new) the cluster in <paramref name="dataDirectory"/>, or attaches to it when it is already running.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory() ?? throw new EmbeddedPostgresException(
            "PostgreSQL binaries (initdb, pg_ctl) were not found: install them (Debian: apt-get install postgresql) " +
            "or set ConnectionStrings:Postgres to an existing server.");
        var server = new EmbeddedPostgres(await ReachableDataDirectoryAsync(Path.GetFullPath(dataDirectory), cancellationToken), binDirectory, logger ?? NullLogger.Instance);
        await server.StartCoreAsync(cancellationToken);
        return server;
    }

    /// <summary>Creates a fresh, empty database (dropping an older one of that name).</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using (var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return ConnectionString(name);
    }

    /// <summary>Stops the cluster if this instance started it; a cluster it merely attached to keeps running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_startedByUs)
        {
            return;
        }

        _startedByUs = false;
        await RunAsync("pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None, throwOnError: false);
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dataDirectory);
        GiveToPostgresUser(_dataDirectory);

        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            _logger.LogInformation("Initialising a private PostgreSQL cluster in {DataDirectory}", _dataDirectory);
            await RunAsync("initdb", ["-D", _dataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], cancellationToken);
        }

        var running = RunningPort();
        if (running is { } port && await CanConnectAsync(port, cancellationToken))
        {
            Port = port;
            _logger.LogInformation("Attached to the private PostgreSQL already running on port {Port}", Port);
            return;
        }

        Port = FreePort();
        var socketDirectory = Path.Combine(_dataDirectory, "socket");
        Directory.CreateDirectory(socketDirectory);
        GiveToPostgresUser(socketDirectory);
        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -k {socketDirectory} -c max_connections=1000 -c fsync=on -c shared_buffers=128MB";
        await RunAsync("pg_ctl", ["-D", _dataDirectory, "-o", options, "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", "60", "start"], cancellationToken);
        _startedByUs = true;
        _logger.LogInformation("Started a private PostgreSQL on 127.0.0.1:{Port} ({DataDirectory})", Port, _dataDirectory);
    }

    /// <summary>
    /// <paramref name="requested"/> when the user that runs PostgreSQL can reach it; else (root, with a private
    /// folder on the way) a folder of its own under /var/lib/nanobanana, the same one for the same requested path.
    /// </summary>
    private static async Task<string> ReachableDataDirectoryAsync(string requested, CancellationToken cancellationToken)
    {
        if (!IsRoot || await PostgresUserCanEnterAsync(NearestExisting(requested), cancellationToken))
        {
            return requested;
        }

        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(requested)))[..16];
        var standIn = Path.Combine(SharedDataRoot, key);
        try
        {
            Directory.CreateDirectory(SharedDataRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddedPostgresException(
                $"The postgres user cannot enter {requested} (a parent folder is private) and {SharedDataRoot} cannot be created ({e.Message}): " +
                "clone the repository into a folder others may enter, or set ConnectionStrings:Postgres.");
        }

        return standIn;
    }

    private static string NearestExisting(string path)
    {
        var directory = new DirectoryInfo(path);
        while (directory.Parent is not null && !directory.Exists)
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }

    private static async Task<bool> PostgresUserCanEnterAsync(string folder, CancellationToken cancellationToken)
    {
        using var probe = Process.Start(new ProcessStartInfo("runuser", ["-u", "postgres", "--", "test", "-x", folder])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        }) ?? throw new EmbeddedPostgresException("Could not start runuser to check the postgres user's access.");
        await probe.WaitForExitAsync(cancellationToken);
        return probe.ExitCode == 0;
    }

    private int? RunningPort()
    {
        var pidFile = Path.Combine(_dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        try
        {
            // postmaster.pid: line 1 pid, line 4 port.
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Environment.UserName == "root";

    private static void GiveToPostgresUser(string path)
    {
        if (!IsRoot)
        {
            return;
        }

        using var chown = Process.Start(new ProcessStartInfo("chown", ["-R", "postgres:postgres", path]) { UseShellExecute = false })!;
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"Could not give {path} to the postgres user (chown exit {chown.ExitCode}): is the postgresql package installed?");
        }
    }

    private async Task RunAsync(string tool, string[] arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var executable = Path.Combine(_binDirectory, tool);
        var start = IsRoot
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", executable, .. arguments])
            : new ProcessStartInfo(executable, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // The working directory must be readable by the postgres user.
        start.WorkingDirectory = _dataDirectory;

        using var process = Process.Start(start) ?? throw new EmbeddedPostgresException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && throwOnError)
        {
            throw new EmbeddedPostgresException($"{tool} failed for the private PostgreSQL in {_dataDirectory} (exit {process.ExitCode}): {(await error + await output).Trim()}");
        }
    }

    private static string? FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':').FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }
}
