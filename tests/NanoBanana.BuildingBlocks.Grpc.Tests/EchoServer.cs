using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NanoBanana.BuildingBlocks.Grpc.Tests;

/// <summary>
/// A real Kestrel on 127.0.0.1 with the Host's two endpoint kinds (h2c for native gRPC, HTTP/1.1
/// for gRPC-Web), serving the echo test module through AddGrpcServer / MapGrpcServices.
/// </summary>
public sealed class EchoServer : IAsyncLifetime
{
    public const string ApiKey = "test-internal-key-0123456789";
    public const string AllowedOrigin = "https://miniapp.example";
    public const int MaxMessageBytes = 64 * 1024;

    private WebApplication? _app;

    public Uri GrpcAddress { get; private set; } = null!;

    public Uri HttpAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public GrpcTestClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grpc:InternalApiKey"] = ApiKey,
            ["Grpc:CorsOrigins:0"] = AllowedOrigin,
            ["Grpc:MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        ListenOptions? grpc = null;
        ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => (grpc = listen).Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => (http = listen).Protocols = HttpProtocols.Http1);
        });

        var module = new EchoModule();
        module.AddServices(builder.Services, builder.Configuration);
        builder.Services.AddGrpcServer(builder.Configuration);
        _app = builder.Build();
        _app.MapGrpcServices([module]);
        await _app.StartAsync();

        GrpcAddress = new Uri($"http://127.0.0.1:{grpc!.IPEndPoint!.Port}");
        HttpAddress = new Uri($"http://127.0.0.1:{http!.IPEndPoint!.Port}");
        Client = new GrpcTestClient(GrpcAddress, HttpAddress);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
