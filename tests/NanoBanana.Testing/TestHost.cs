using Ardalis.Result;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.Host;

namespace NanoBanana.Testing;

/// <summary>
/// The real Host (same composition root as production) on 127.0.0.1 with OS-assigned ports:
/// an h2c gRPC endpoint and an HTTP/1.1 endpoint, against a test database.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private static readonly HashSet<int> HandedOut = [];

    private readonly WebApplication _app;

    private TestHost(WebApplication app, Uri grpcAddress, Uri httpAddress)
    {
        _app = app;
        GrpcAddress = grpcAddress;
        HttpAddress = httpAddress;
    }

    /// <summary>The h2c endpoint for native gRPC.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The HTTP/1.1 endpoint: gRPC-Web, webhooks, pages, health, metrics.</summary>
    public Uri HttpAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Runs a use case in-process as <paramref name="principal"/>, the way a module or a gRPC call would.</summary>
    public Task<Result<T>> SendAsync<T>(Principal principal, IUseCase<T> request) =>
        Services.GetRequiredService<UseCaseSender>().SendAsync(principal, request, CancellationToken.None);

    /// <summary>A server-streaming use case as <paramref name="principal"/>; enumerate the stream to its end.</summary>
    public Task<Result<IAsyncEnumerable<T>>> StreamAsync<T>(Principal principal, IStreamUseCase<T> request) =>
        Services.GetRequiredService<UseCaseSender>().StreamAsync(principal, request, CancellationToken.None);

    public static async Task<TestHost> StartAsync(
        string connectionString,
        IReadOnlyList<IModule>? modules = null,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var arguments = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            arguments[key] = value;
        }

        var args = arguments.Select(pair => $"--{pair.Key}={pair.Value}").ToArray();
        var app = await NanoBananaApp.BuildAsync(args, modules ?? Program.Modules, configure);
        await app.StartAsync();
        return new TestHost(app, new Uri($"http://127.0.0.1:{grpcPort}"), new Uri($"http://127.0.0.1:{httpPort}"));
    }

    /// <summary>
    /// A free loopback port for a server to bind right after. Taken below Linux's ephemeral range
    /// (32768+): a port the OS hands out with bind(0) can be taken meanwhile by any outgoing connection
    /// (a database or HTTP client socket), which made a Host fail with "address already in use".
    /// Each port is handed out once per test process; a random start keeps parallel test processes apart.
    /// </summary>
    public static int FreePort()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(20_000, 32_000);
                if (!HandedOut.Add(port))
                {
                    continue;
                }

                try
                {
                    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                    listener.Start();
                    return port;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    // In use by something else: try another.
                }
            }
        }

        throw new InvalidOperationException("No free loopback port between 20000 and 32000.");
    }

    /// <summary>An HttpClient speaking HTTP/2 cleartext with prior knowledge to the gRPC endpoint.</summary>
    public HttpClient CreateGrpcHttpClient() => new()
    {
        BaseAddress = GrpcAddress,
        DefaultRequestVersion = System.Net.HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public HttpClient CreateHttpClient() => new() { BaseAddress = HttpAddress };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
