using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// The playground web chat in real Chromium (tests/interop/browser/playground.test.mjs): the built Host runs
/// as its own process with no bot token, like the offline <c>./nb run</c> (it starts the emulator and web chat,
/// Sandbox generation and payments), on a test database and free ports, with progress edits sent as they come.
/// </summary>
public sealed class PlaygroundBrowserTests : IAsyncLifetime, IDisposable
{
    private static readonly string Suite = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "interop", "browser");
    private readonly string _media = Path.Combine(Path.GetTempPath(), $"nanobanana-playground-media-{Guid.NewGuid():N}");
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _host = new HostProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = await TestPostgres.CreateDatabaseAsync("bot_playground"),
            ["Playground:Port"] = "0",
            ["Generation:MediaRoot"] = _media,
            // Every progress step is its own edit (the defaults pace them 3 s apart and merge what comes sooner, so
            // on a fast machine a short video's steps could all land in one edit and "edited per step" would fail).
            ["Bot:EditInterval"] = "00:00:00.050",
            ["Bot:ChatMessagesPerSecond"] = "100",
            ["Bot:ChatBurst"] = "100",
        });
        await _host.StartAsync();
    }

    public void Dispose() => _host.Dispose();

    public Task DisposeAsync()
    {
        _host.Dispose();
        if (Directory.Exists(_media))
        {
            Directory.Delete(_media, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task In_the_web_chat_users_create_an_image_top_up_with_Stars_run_the_video_tools_on_a_file_sent_from_the_browser_and_use_the_assistant_and_edit()
    {
        var line = await _host.WaitForOutputAsync("Web chat:", TimeSpan.FromSeconds(30));
        var webChat = line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim();
        await ExternalProcess.EnsureNpmPackagesAsync(Suite);
        var video = Path.Combine(_media, "talk.mp4");
        Directory.CreateDirectory(_media);
        // 10 s (still one started minute): rendering it takes long enough that its step's edit shows before "Done!".
        await File.WriteAllBytesAsync(video, (await TestVideos.WithSpeechAsync("Hello from the browser. These words become subtitles.", speechAt: 0.5, seconds: 10)).Video);

        var (exitCode, output) = await ExternalProcess.RunAsync("node", ["--test", "playground.test.mjs"], Suite, new Dictionary<string, string>
        {
            ["WEB_CHAT"] = webChat,
            ["VIDEO_FILE"] = video,
        },
        timeout: TimeSpan.FromMinutes(10));

        Assert.True(exitCode == 0, $"{output}\n--- Host output:\n{_host.Output}");
        Assert.Contains("# pass 3", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }
}
