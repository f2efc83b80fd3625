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
    internal static readonly string InteropFolder = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "interop");
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

    internal static Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, Dictionary<string, string> environment) =>
        ExternalProcess.RunAsync(program, arguments, InteropFolder, environment);
}
