using System.Net;
using System.Net.Http.Json;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.IntegrationTests;

/// <summary>
/// The README's <c>./nb run</c> in a fresh copy of the repository, started the way a newcomer starts it (no
/// settings but free ports): the native gRPC port answers health over h2c, <c>/app/</c> serves the Mini App,
/// the web chat answers /start, the console shows no Information line of EF Core or HttpClient, and the
/// checkout is as clean afterwards as before. Once from an open folder in a terminal (human-readable log),
/// once from a private folder (mode 700, where the postgres user cannot enter) with the output in a pipe
/// (JSON log). Both use one copy: the first to run pays the Release build, the second rebuilds nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NbRunTests(RepositoryCopy copy) : IClassFixture<RepositoryCopy>
{
    private static readonly TimeSpan BuildAndStart = TimeSpan.FromMinutes(15);
    private static readonly bool IsRoot = Environment.UserName == "root";
    private static readonly UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private static readonly UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task In_a_terminal_in_an_open_folder_the_product_of_the_README_runs_and_the_checkout_stays_clean()
    {
        File.SetUnixFileMode(copy.Parent, Open);
        var (run, output) = await RunAndCheckAsync(terminal: true);

        Assert.Contains($"data in {Path.Combine(copy.Checkout, ".data", "postgres")}", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d info: Microsoft\.Hosting\.Lifetime\[\d+\] Now listening on: ", output);
        Assert.Equal(0, run);
    }

    [Fact]
    public async Task In_a_private_folder_the_embedded_cluster_still_starts_and_says_where_its_data_is()
    {
        File.SetUnixFileMode(copy.Parent, Private);
        try
        {
            var (run, output) = await RunAndCheckAsync(terminal: false);

            Assert.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\"", output, StringComparison.Ordinal);
            if (IsRoot)
            {
                // PostgreSQL runs as the postgres user, which cannot enter the checkout: its data lives under /var/lib.
                Assert.Contains("data in /var/lib/nanobanana/", output, StringComparison.Ordinal);
                Assert.Contains($"(the postgres user cannot enter {Path.Combine(copy.Checkout, ".data", "postgres")})", output, StringComparison.Ordinal);
            }

            Assert.Equal(0, run);
        }
        finally
        {
            File.SetUnixFileMode(copy.Parent, Open);
        }
    }

    private async Task<(int ExitCode, string Output)> RunAndCheckAsync(bool terminal)
    {
        var grpc = new Uri($"http://127.0.0.1:{TestHost.FreePort()}");
        var http = new Uri($"http://127.0.0.1:{TestHost.FreePort()}");
        var webChat = new Uri($"http://127.0.0.1:{TestHost.FreePort()}");
        using var run = NbRunProcess.Start(copy.Checkout, terminal, new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Grpc__Url"] = grpc.ToString().TrimEnd('/'),
            ["Kestrel__Endpoints__Http__Url"] = http.ToString().TrimEnd('/'),
            ["Playground__Port"] = webChat.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await run.WaitForLineAsync("Stop with Ctrl+C.", BuildAndStart);
        if (run.Lines.FirstOrDefault(line => line.Contains("data in /var/lib/nanobanana/", StringComparison.Ordinal)) is { } standIn)
        {
            copy.DeleteAtEnd(standIn[(standIn.IndexOf("/var/lib/", StringComparison.Ordinal))..].Split(' ')[0]);
        }

        Assert.Contains($"Web chat:       {webChat}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"Mini App:       {http}app/", run.Output, StringComparison.Ordinal);
        Assert.Contains($"Native gRPC:    {grpc.ToString().TrimEnd('/')}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"Metrics:        {http}metrics", run.Output, StringComparison.Ordinal);

        await AssertHealthServingOverH2cAsync(grpc, run);
        await AssertMiniAppServedAsync(http, run);
        await AssertWebChatAnswersStartAsync(webChat, run);
        // A few idle seconds: long polling, sweepers and the outbox run; none of it may log per poll.
        await Task.Delay(TimeSpan.FromSeconds(5));

        var exitCode = await run.StopAsync(TimeSpan.FromSeconds(60));
        var output = run.Output;
        var noisy = run.Lines.Where(line =>
            (line.Contains("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || line.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal))
            && (line.Contains("info:", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Information\"", StringComparison.Ordinal))).ToList();
        Assert.True(noisy.Count == 0, "EF Core / HttpClient Information lines:\n" + string.Join('\n', noisy.Take(5)));
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await copy.GitStatusAsync());
        return (exitCode, output);
    }

    private static async Task AssertHealthServingOverH2cAsync(Uri grpc, NbRunProcess run)
    {
        using var client = new HttpClient
        {
            BaseAddress = grpc,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        // One gRPC message frame: not compressed, length 0 (an empty HealthCheckRequest: the whole server).
        // A request built by hand does not take the client's default version: h2c must be asked for here.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/grpc.health.v1.Health/Check")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}\n{run.Output}");
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        // HealthCheckResponse { status: SERVING (1) } in one frame.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 2, 0x08, 0x01 }, body);
    }

    private static async Task AssertMiniAppServedAsync(Uri http, NbRunProcess run)
    {
        using var client = new HttpClient { BaseAddress = http };
        using var response = await client.GetAsync("/app/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {html}\n{run.Output}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" crossorigin src=\"/app/assets/", html, StringComparison.Ordinal);
    }

    private static async Task AssertWebChatAnswersStartAsync(Uri webChat, NbRunProcess run)
    {
        using var client = new HttpClient { BaseAddress = webChat };
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        const long userId = 5150;
        (await client.PostAsJsonAsync("/api/users", new { id = userId, first_name = "Newcomer", language_code = "en" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/chats/{userId}/messages", new { text = "/start" })).EnsureSuccessStatusCode();
        using var reply = await client.PostAsJsonAsync($"/api/chats/{userId}/wait", new { from = "bot", text_contains = "Hi, Newcomer", timeout_ms = 60_000 });

        Assert.True(reply.StatusCode == HttpStatusCode.OK, $"{await reply.Content.ReadAsStringAsync()}\n{run.Output}");
    }
}
