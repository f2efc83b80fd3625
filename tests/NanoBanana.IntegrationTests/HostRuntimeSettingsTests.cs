using System.Text.Json;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.IntegrationTests;

/// <summary>
/// The runtime settings the built Host starts with (ADR 0230): workstation GC. A misnamed MSBuild property sets
/// nothing and leaves the Web SDK's server GC in the runtimeconfig, which is what `./nb run` and every test Host read.
/// </summary>
public sealed class HostRuntimeSettingsTests
{
    [Fact]
    public void The_built_host_runs_workstation_gc()
    {
        var runtimeConfig = Path.ChangeExtension(HostProcess.HostDll, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.GC.Server", out var server), $"{runtimeConfig} does not set System.GC.Server");
        Assert.False(server.GetBoolean());
    }
}
