using System.Diagnostics;
using NanoBanana.Testing;

namespace NanoBanana.Generation.Tests;

/// <summary>A real Host process (the built NanoBanana.Host.dll) on loopback ports, killable with SIGKILL.</summary>
public sealed class HostProcess : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private Process? _process;

    public HostProcess(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    public static string HostDll
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NanoBanana.sln")))
            {
                directory = directory.Parent;
            }

            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(directory?.FullName ?? ".", "Host", "NanoBanana.Host", "bin", configuration, "net10.0", "NanoBanana.Host.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the Host first.", dll);
        }
    }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(HostDll)!, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(HostDll);
        var settings = new Dictionary<string, string>(_settings)
        {
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{TestHost.FreePort()}",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{TestHost.FreePort()}",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        _process = Process.Start(info)!;
        // Drain the output so a chatty Host never blocks on a full pipe.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful drain — like a crashed machine.</summary>
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

    public void Dispose() => Kill();
}
