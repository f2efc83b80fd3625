using System.Diagnostics;
using System.Net;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Options.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Catalog.Tests;

/// <summary>
/// Two Host processes on one database: an edit made through one reaches the other's in-memory catalog through
/// the change notification. The reader's snapshot never expires (a one-hour TTL), so nothing else can refresh it.
/// </summary>
public sealed class CatalogReplicaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_model_switched_off_and_on_in_one_Host_process_follows_in_another_processes_list()
    {
        await using var editor = await TestHost.StartAsync(database.ConnectionString);
        using var reader = new HostProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Catalog:CacheTtl"] = "01:00:00",
            ["RateLimits:Anonymous:PerSecond"] = "1000",
            ["RateLimits:Anonymous:Burst"] = "1000",
        });
        await reader.StartAsync();
        using var client = new HttpClient { BaseAddress = reader.GrpcAddress };
        Assert.Contains("imagen-4", await ListSlugsAsync(client));

        var admin = Principal.ForApiKey("catalog-test", Role.Admin);
        Assert.True((await editor.SendAsync(admin, new SetModelActiveRequest { Slug = "imagen-4", Active = false })).IsSuccess);
        var withoutImagen = await ListUntilAsync(client, slugs => !slugs.Contains("imagen-4"));
        Assert.Equal(["nano-banana", "nano-banana-2", "nano-banana-pro", "veo-3-1-fast", "veo-3-1"], withoutImagen);

        Assert.True((await editor.SendAsync(admin, new SetModelActiveRequest { Slug = "imagen-4", Active = true })).IsSuccess);
        var withImagen = await ListUntilAsync(client, slugs => slugs.Contains("imagen-4"));
        Assert.Equal(["nano-banana", "nano-banana-2", "nano-banana-pro", "imagen-4", "veo-3-1-fast", "veo-3-1"], withImagen);
    }

    /// <summary>Reads the other process's list until <paramref name="done"/> holds; fails if it never does.</summary>
    private static async Task<List<string>> ListUntilAsync(HttpClient client, Func<List<string>, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var slugs = await ListSlugsAsync(client);
            if (done(slugs) || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                return slugs;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>CatalogService/ListModels over h2c, as any gRPC client sends it (one empty request frame).</summary>
    private static async Task<List<string>> ListSlugsAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/nanobanana.catalog.v1.CatalogService/ListModels")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        return [.. ListModelsResponse.Parser.ParseFrom(body.AsSpan(5)).Models.Select(m => m.Slug)];
    }
}
