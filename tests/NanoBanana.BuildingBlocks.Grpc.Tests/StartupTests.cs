using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Grpc.Binding;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Testing.Echo.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Tests;

/// <summary>Misconfiguration fails at start-up with a message naming the problem.</summary>
public sealed class StartupTests
{
    [Fact]
    public void Served_method_whose_request_is_not_a_use_case_fails_binding()
    {
        var services = new ServiceCollection().AddMediationFrom(typeof(EchoModule).Assembly).BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() =>
            UseCaseMethodBinder.Bind([BrokenReflection.Descriptor], services.GetRequiredService<IServiceProviderIsService>()));

        Assert.Contains("/testing.v1.BrokenService/Do", error.Message, StringComparison.Ordinal);
        Assert.Contains("IUseCase<DoResponse>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Served_method_without_a_registered_handler_fails_binding_listing_every_method()
    {
        var services = new ServiceCollection().BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() =>
            UseCaseMethodBinder.Bind([EchoReflection.Descriptor], services.GetRequiredService<IServiceProviderIsService>()));

        Assert.Contains("/testing.v1.EchoService/Echo: no handler", error.Message, StringComparison.Ordinal);
        Assert.Contains("/testing.v1.EchoService/Count: no handler", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("InProcess", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binding_serves_public_and_internal_methods_only()
    {
        var services = new ServiceCollection().AddMediationFrom(typeof(EchoModule).Assembly).BuildServiceProvider();

        var methods = UseCaseMethodBinder.Bind([EchoReflection.Descriptor], services.GetRequiredService<IServiceProviderIsService>());

        Assert.Equal(
            ["Count", "Echo", "Fail", "MyProfile", "Sleep", "WhoAmI"],
            methods.Select(m => m.MethodName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Grpc:MaxMessageBytes", "10", "Grpc:MaxMessageBytes")]
    [InlineData("Grpc:CorsOrigins:0", "not an origin", "Grpc:CorsOrigins")]
    [InlineData("Grpc:InternalApiKey", "short", "Grpc:InternalApiKey")]
    public void Bad_settings_fail_with_a_message_naming_the_setting(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddGrpcServer(configuration));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_refuses_to_start_when_a_module_method_cannot_be_bound()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddGrpcServer(builder.Configuration);
        using var app = builder.Build();

        Assert.Throws<InvalidOperationException>(() => app.MapGrpcServices([EchoReflection.Descriptor]));
    }
}
