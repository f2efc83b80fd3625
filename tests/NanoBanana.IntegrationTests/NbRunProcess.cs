using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NanoBanana.Testing;

namespace NanoBanana.IntegrationTests;

/// <summary>
/// <c>./nb run</c> in a checkout, as a user starts it: in a terminal (a pseudo-terminal from util-linux
/// <c>script</c>, stopped with Ctrl+C) or with its output going to a pipe (stopped with SIGINT).
/// </summary>
internal sealed partial class NbRunProcess : IDisposable
{
    private readonly Process _process;
    private readonly bool _terminal;
    private readonly List<string> _lines = [];

    private NbRunProcess(Process process, bool terminal)
    {
        _process = process;
        _terminal = terminal;
    }

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <param name="settings">Environment variables (<c>Section__Key</c>); inherited ones of that shape are dropped.</param>
    public static NbRunProcess Start(string checkout, bool terminal, IReadOnlyDictionary<string, string> settings)
    {
        var info = terminal
            // script runs the command with $SHELL -c; dash (CI's /bin/sh) stays as the parent and dies of the
            // Ctrl+C itself (exit 130), where a user's interactive shell would ignore it: exec leaves ./nb alone.
            ? new ProcessStartInfo("script", ["-qefc", "exec ./nb run", "/dev/null"])
            : new ProcessStartInfo(Path.Combine(checkout, "nb"), ["run"]);
        info.WorkingDirectory = checkout;
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        foreach (var inherited in info.Environment.Keys.Where(key => key.Contains("__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start ./nb run");
        var run = new NbRunProcess(process, terminal);
        process.OutputDataReceived += (_, e) => run.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => run.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Waits for a line containing <paramref name="text"/> and returns it.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !_process.HasExited)
        {
            if (Lines.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } found)
            {
                return found;
            }

            await Task.Delay(200);
        }

        return Lines.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal))
            ?? throw new TimeoutException($"./nb run printed no '{text}' (exited: {_process.HasExited}). Output:\n{Output}");
    }

    /// <summary>Ctrl+C in the terminal, SIGINT otherwise; returns the exit code (SIGKILL after <paramref name="timeout"/>).</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            if (_terminal)
            {
                await _process.StandardInput.WriteAsync('\u0003');
                await _process.StandardInput.FlushAsync();
            }
            else
            {
                // ./nb execs dotnet: this process is the Host.
                await ExternalProcess.RunAsync("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)], "/");
            }
        }

        var waited = Stopwatch.StartNew();
        while (!_process.HasExited && waited.Elapsed < timeout)
        {
            await Task.Delay(200);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./nb run did not stop within {timeout} after Ctrl+C. Output:\n{Output}");
        }

        // Exited; its output ends when the last process holding it lets go. One that ./nb started and left
        // running (a build server, a database) would keep a user's terminal or pipe open after ./nb ended.
        using var outputEnd = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(outputEnd.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"./nb run exited, but processes it started still hold its output open. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(TerminalControl().Replace(line, string.Empty).TrimEnd('\r'));
        }
    }

    // Colours and other escape sequences of a terminal.
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex TerminalControl();
}
