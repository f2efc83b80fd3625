using System.Diagnostics;

namespace NanoBanana.Testing;

/// <summary>
/// The built Host (Host/NanoBanana.Host/bin/&lt;configuration&gt;/net10.0/NanoBanana.Host.dll, built with every test
/// project through NanoBanana.Testing's reference) as a real OS process on 127.0.0.1 free ports, configured through
/// environment variables like a deployment, started the way <c>./nb run</c> starts it: <c>dotnet &lt;dll&gt;</c> from the
/// repository root (the Host takes its content root from its own folder, not from the working directory).
/// <see cref="Kill"/> is SIGKILL: no shutdown hooks, no drain.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private const int OutputLines = 400;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Queue<string> _output = new();
    private Process? _process;

    /// <param name="settings">Configuration keys (<c>Section:Key</c>) and values; the Kestrel endpoints are added here.</param>
    public HostProcess(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    public static string HostDll
    {
        get
        {
            var separator = Path.DirectorySeparatorChar;
            var configuration = AppContext.BaseDirectory.Contains($"{separator}Release{separator}", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(ExternalProcess.RepositoryRoot, "Host", "NanoBanana.Host", "bin", configuration, "net10.0", "NanoBanana.Host.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the Host first (dotnet build NanoBanana.sln).", dll);
        }
    }

    /// <summary>The HTTP/1.1 endpoint of the running process (webhook, health, pages).</summary>
    public Uri HttpAddress { get; private set; } = new("http://127.0.0.1:9");

    /// <summary>The h2c gRPC endpoint of the running process.</summary>
    public Uri GrpcAddress { get; private set; } = new("http://127.0.0.1:9");

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>The OS process id (0 before <see cref="Start"/>).</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>The last lines the process printed (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the process (fresh ports unless the settings name them) without waiting for it.</summary>
    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ExternalProcess.RepositoryRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(HostDll);
        var settings = new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{TestHost.FreePort()}",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{TestHost.FreePort()}",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        // The settings are the whole configuration: Section__Key variables inherited from a developer's shell
        // (say a real Telegram__BotToken) must not leak into a test Host.
        foreach (var inherited in info.Environment.Keys.Where(key => key.Contains("__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        HttpAddress = new Uri(settings["Kestrel:Endpoints:Http:Url"]);
        GrpcAddress = new Uri(settings["Kestrel:Endpoints:Grpc:Url"]);
        lock (_output)
        {
            _output.Clear();
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + HostDll);
        // Always drain: a chatty Host must never block on a full pipe.
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the process and waits until <c>/readyz</c> answers (migrations done, database reachable).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        Start();
        await WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"The Host process exited before it was ready. Output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The Host process was not ready within {timeout}. Output:\n{Output}");
    }

    /// <summary>Waits for a line of output containing <paramref name="text"/> and returns it.</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            lock (_output)
            {
                var line = _output.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
                if (line is not null)
                {
                    return line;
                }
            }

            if (HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The Host process printed no '{text}'. Output:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself and returns its exit code (null: still running after <paramref name="timeout"/>).</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is not { } process)
        {
            return null;
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: like a crashed machine.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>SIGTERM and wait for the graceful shutdown (SIGKILL if it takes longer than <paramref name="timeout"/>).</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process is { HasExited: false } process)
        {
            await ExternalProcess.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Environment.CurrentDirectory);
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: fall through to the kill.
            }
        }

        Kill();
    }

    public void Dispose() => Kill();

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }
}
