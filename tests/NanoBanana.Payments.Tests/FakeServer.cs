using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NanoBanana.Payments.Tests;

/// <summary>A tiny Kestrel app on 127.0.0.1 with an OS-assigned port, standing in for an external API.</summary>
public abstract class FakeServer : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    protected async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the Host's appsettings.json (copied next to the tests): a fake binds only its own port.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        Map(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Address = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    protected abstract void Map(WebApplication app);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
