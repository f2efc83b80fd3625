using System.Diagnostics;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.IntegrationTests;

/// <summary>
/// Real third-party clients against the real Host (Catalog served over native gRPC and gRPC-Web):
/// the suites live in tests/interop (Python unittest, node:test) and must pass in full.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class InteropTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    internal static readonly string InteropFolder = Path.Combine(RepositoryRoot(), "tests", "interop");
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Python_grpcio_suite_passes()
    {
        var (exitCode, output) = await RunAsync("/usr/bin/python3", ["python/test_interop.py", _host.GrpcAddress.Authority], []);

        Assert.True(exitCode == 0, output);
        Assert.Contains("OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_grpc_js_grpc_web_and_reflection_suite_passes()
    {
        await EnsureNodeModulesAsync();

        var (exitCode, output) = await RunAsync("node", ["--test", "node/interop.test.mjs"], new Dictionary<string, string>
        {
            ["GRPC_TARGET"] = _host.GrpcAddress.Authority,
            ["HTTP_BASE"] = _host.HttpAddress.ToString().TrimEnd('/'),
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    /// <summary>Installs the exact versions of package-lock.json once (node_modules is not committed).</summary>
    internal static async Task EnsureNodeModulesAsync()
    {
        if (!File.Exists(Path.Combine(InteropFolder, "node_modules", ".package-lock.json")))
        {
            var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], []);
            Assert.True(exitCode == 0, output);
        }
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = InteropFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, $"{program} {string.Join(' ', arguments)}\n{await stdout}\n{await stderr}");
    }

    private static string RepositoryRoot()
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
