using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using static Grpc.Health.V1.HealthCheckResponse.Types;

// Usage: StockGrpcHealth <port>. Serves grpc.health.v1.Health (status SERVING for "") on h2c, as the
// Grpc.AspNetCore documentation sets it up, so the bench can tell what our own layer adds.
var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
    kestrel.Listen(System.Net.IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
var health = new HealthServiceImpl();
health.SetStatus("", ServingStatus.Serving);
builder.Services.AddSingleton(health);
var app = builder.Build();
app.MapGrpcService<HealthServiceImpl>();
await app.RunAsync();
