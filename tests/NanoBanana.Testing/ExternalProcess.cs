using System.Diagnostics;

namespace NanoBanana.Testing;

/// <summary>Runs third-party clients (python3, node, npm) from tests and returns what they printed.</summary>
public static class ExternalProcess
{
    /// <summary>The folder holding NanoBanana.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Runs <paramref name="program"/> to completion (killed after <paramref name="timeout"/>, default 5 minutes).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, $"{program} {string.Join(' ', start.ArgumentList)}\n{await stdout}\n{await stderr}");
    }

    /// <summary>Installs a folder's locked npm packages when they are missing (a fresh clone; ./nb test does it too).</summary>
    public static async Task EnsureNpmPackagesAsync(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "node_modules", ".package-lock.json")))
        {
            var (exitCode, log) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder);
            if (exitCode != 0)
            {
                throw new InvalidOperationException("npm ci failed:\n" + log);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NanoBanana.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NanoBanana.sln not found above " + AppContext.BaseDirectory);
    }
}
