using Microsoft.AspNetCore.Server.Kestrel.Core;

// Usage: BareKestrel <port> </path=response-body-file>... Answers a POST to each path with the
// file's bytes as a gRPC response (content-type application/grpc, trailer grpc-status 0) on h2c.
var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
foreach (var mapping in args[1..])
{
    var (path, file) = (mapping[..mapping.IndexOf('=', StringComparison.Ordinal)], mapping[(mapping.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    bodies[path] = await File.ReadAllBytesAsync(file);
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
    kestrel.Listen(System.Net.IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
var app = builder.Build();
app.Run(async context =>
{
    // Drain the request like a real server would.
    while (true)
    {
        var read = await context.Request.BodyReader.ReadAsync();
        context.Request.BodyReader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    if (!bodies.TryGetValue(context.Request.Path.Value ?? "", out var body))
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return;
    }

    context.Response.ContentType = "application/grpc";
    await context.Response.Body.WriteAsync(body);
    context.Response.AppendTrailer("grpc-status", "0");
});
await app.RunAsync();
