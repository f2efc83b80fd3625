using System.Text;
using Google.Protobuf;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>The Gemini speech adapter on the real Host against a loopback server speaking generateContent's wire format.</summary>
public sealed class VideoToolsGeminiTests : IAsyncLifetime
{
    private FakeGeminiSpeechServer _gemini = null!;
    private GenerationHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _gemini = await FakeGeminiSpeechServer.StartAsync();
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("vtgem"), _gemini.Settings());
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _gemini.DisposeAsync();
    }

    [Fact]
    public async Task Transcription_translation_and_speech_go_over_generate_content_and_come_back_as_files()
    {
        var user = await _harness.FundedUserAsync(1000);
        var upload = await UploadAsync(user);
        var job = await RunAsync(user, upload, new VideoToolsChoice { TranslateTo = "de", VoiceOver = true, Captions = CaptionStyle.Karaoke });

        Assert.True(job.Status == JobStatus.Succeeded, job.FailureReason?.En);
        var transcription = Assert.Single(_gemini.Bodies[FakeGeminiSpeechServer.TranscriptionModel]);
        var audio = transcription["contents"]![0]!["parts"]![1]!["inlineData"]!;
        Assert.Equal("audio/flac", audio["mimeType"]!.GetValue<string>());
        Assert.Equal("fLaC"u8.ToArray(), Convert.FromBase64String(audio["data"]!.GetValue<string>())[..4]);
        Assert.Equal("application/json", transcription["generationConfig"]!["responseMimeType"]!.GetValue<string>());
        Assert.Equal("ARRAY", transcription["generationConfig"]!["responseSchema"]!["properties"]!["segments"]!["type"]!.GetValue<string>());
        var translation = Assert.Single(_gemini.Bodies[FakeGeminiSpeechServer.TranslationModel]);
        Assert.Contains("'de'", translation["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var speech = _gemini.Bodies[FakeGeminiSpeechServer.SpeechModel].ToList();
        Assert.Equal(2, speech.Count);
        Assert.Equal("AUDIO", speech[0]["generationConfig"]!["responseModalities"]![0]!.GetValue<string>());
        Assert.Equal("Kore", speech[0]["generationConfig"]!["speechConfig"]!["voiceConfig"]!["prebuiltVoiceConfig"]!["voiceName"]!.GetValue<string>());
        Assert.Equal("(de) Hello from the fake transcriber.", speech[0]["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.All(_gemini.ApiKeys, key => Assert.Equal("test-key", key));

        Assert.Equal(["video/mp4", "application/x-subrip", "application/x-subrip"], job.Media.Select(m => m.MimeType));
        var original = TestVideos.ParseSrt(await TextAsync(job.Media[1]));
        Assert.Equal([(0.4, 1.6, "Hello from the fake transcriber."), (2.0, 3.2, "Second line.")], original);
        Assert.Equal("(de) Second line.", TestVideos.ParseSrt(await TextAsync(job.Media[2]))[1].Text);
        var streams = (await TestVideos.ProbeAsync(await ContentAsync(job.Media[0]))).GetProperty("streams").EnumerateArray().ToList();
        Assert.Contains(streams, s => s.GetProperty("codec_type").GetString() == "audio");
    }

    [Theory]
    [InlineData(FakeGeminiSpeechServer.TranslationModel, "translating", "перевод")]
    [InlineData(FakeGeminiSpeechServer.SpeechModel, "voice-over", "озвучка")]
    [InlineData(FakeGeminiSpeechServer.TranscriptionModel, "transcribing", "распознавание речи")]
    public async Task A_provider_refusal_at_a_step_fails_the_job_names_the_step_and_releases_the_hold(string failingModel, string stepEn, string stepRu)
    {
        _gemini.FailingModels[failingModel] = true;
        var user = await _harness.FundedUserAsync(1000);
        var upload = await UploadAsync(user);

        var job = await RunAsync(user, upload, new VideoToolsChoice { TranslateTo = "de", VoiceOver = true });

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains($"“{stepEn}”", job.FailureReason.En, StringComparison.Ordinal);
        Assert.Contains($"«{stepRu}»", job.FailureReason.Ru, StringComparison.Ordinal);
        Assert.Empty(job.Media);
        var balance = await _harness.BalanceAsync(user);
        Assert.Equal(1000, balance.Available);
        Assert.Equal(0, balance.Reserved);
    }

    private async Task<VideoUpload> UploadAsync(long user)
    {
        var video = await TestVideos.PatternAsync(4, "sine");
        var inspected = await _harness.SendAsync(new InspectVideoForToolsRequest { UserId = user, Content = ByteString.CopyFrom(video), FileName = "clip.mp4" });
        Assert.True(inspected.IsSuccess, inspected.ToString());
        return inspected.Value.Upload;
    }

    private async Task<Job> RunAsync(long user, VideoUpload upload, VideoToolsChoice choice)
    {
        var started = await _harness.SendAsync(new StartVideoToolsForUserRequest { UserId = user, UploadId = upload.UploadId, Choice = choice, ClientRequestId = Guid.NewGuid().ToString("N") });
        Assert.True(started.IsSuccess, started.ToString());
        return await _harness.WaitSettledAsync(started.Value.Outcome.Job.Id, seconds: 180);
    }

    private async Task<byte[]> ContentAsync(MediaRef media) =>
        (await _harness.SendAsync(new GetMediaContentRequest { MediaId = media.Id })).Value.Content.ToByteArray();

    private async Task<string> TextAsync(MediaRef media) => Encoding.UTF8.GetString(await ContentAsync(media));
}
