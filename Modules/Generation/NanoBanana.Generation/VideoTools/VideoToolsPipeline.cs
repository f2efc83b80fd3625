using System.Text;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Media;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.VideoTools;

/// <summary>
/// Runs a claimed video-tools job from its next step to the end (ADR 0140). Each step reads the
/// artifacts of earlier steps from the media store, writes its own, and only then records the next
/// step (fenced by the lease), so a crash anywhere resumes at the first unfinished step. A failure
/// names its step; the job processor decides retry or release as for any other job.
/// </summary>
internal sealed partial class VideoToolsPipeline(
    GenerationDbContext db,
    IMediaStore store,
    VideoRenderer renderer,
    SpeechEngines speechEngines,
    VideoToolsOptions options,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<VideoToolsPipeline> logger)
{
    /// <summary>Lines per translation request: short enough for one answer, few enough requests for five minutes of speech.</summary>
    private const int TranslationBatch = 60;

    public async Task<IReadOnlyList<GeneratedMedia>> RunAsync(GenerationJob job, Guid leaseToken, CancellationToken cancellationToken)
    {
        var tools = await db.VideoToolsJobs.AsNoTracking().SingleAsync(j => j.JobId == job.Id, cancellationToken);
        var speech = speechEngines.Get(job.Engine);
        var work = WorkFolder(job.Id, leaseToken);
        try
        {
            while (tools.NextStep != VideoToolsStep.Delivering)
            {
                var step = tools.NextStep;
                await AnnounceAsync(job, step, cancellationToken);
                var started = clock.GetTimestamp();
                try
                {
                    await RunStepAsync(tools, step, speech, work.FullName, cancellationToken);
                }
                catch (ProviderFailureException failure)
                {
                    throw new ProviderFailureException(failure.FailureClass, $"{step}: {failure.Message}", failure)
                    {
                        Reason = VideoToolsTexts.Failure(step, failure.FailureClass, job.PriceCredits, failure.Cause),
                    };
                }

                LogStep(logger, job.Id, step, clock.GetElapsedTime(started).TotalMilliseconds);
                var next = NextAfter(tools, step);
                if (!await AdvanceAsync(job.Id, leaseToken, next, cancellationToken))
                {
                    throw new ProviderFailureException(FailureClass.Transient, "the job's lease was lost");
                }

                tools.NextStep = next;
            }

            await AnnounceAsync(job, VideoToolsStep.Delivering, cancellationToken);
            return await ResultsAsync(tools, cancellationToken);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A folder per attempt, private to the Host's user (it holds users' videos). A Host killed mid-job leaves its
    /// attempt's folder behind: the next attempt removes it (an older holder whose lease ran out fails at its next step).
    /// </summary>
    private static DirectoryInfo WorkFolder(Guid jobId, Guid leaseToken)
    {
        var prefix = $"nb-videotools-{jobId:N}-";
        foreach (var earlier in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            Directory.Delete(earlier, recursive: true);
        }

        var folder = Path.Combine(Path.GetTempPath(), prefix + leaseToken.ToString("N"));
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(folder)
            : Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    internal static VideoToolsStep NextAfter(VideoToolsJob tools, VideoToolsStep step) => step switch
    {
        VideoToolsStep.ExtractingAudio => VideoToolsStep.Transcribing,
        VideoToolsStep.Transcribing when tools.TranslateTo.Length > 0 => VideoToolsStep.Translating,
        VideoToolsStep.Transcribing or VideoToolsStep.Translating when tools.VoiceOver => VideoToolsStep.Voicing,
        VideoToolsStep.Transcribing or VideoToolsStep.Translating or VideoToolsStep.Voicing when tools.Renders => VideoToolsStep.Rendering,
        _ => VideoToolsStep.Delivering,
    };

    private Task RunStepAsync(VideoToolsJob tools, VideoToolsStep step, ISpeechEngine speech, string work, CancellationToken cancellationToken) => step switch
    {
        VideoToolsStep.ExtractingAudio => ExtractAudioAsync(tools, work, cancellationToken),
        VideoToolsStep.Transcribing => TranscribeAsync(tools, speech, work, cancellationToken),
        VideoToolsStep.Translating => TranslateAsync(tools, speech, cancellationToken),
        VideoToolsStep.Voicing => VoiceAsync(tools, speech, work, cancellationToken),
        VideoToolsStep.Rendering => RenderAsync(tools, work, cancellationToken),
        _ => throw new InvalidOperationException($"No step {step}."),
    };

    private async Task ExtractAudioAsync(VideoToolsJob tools, string work, CancellationToken cancellationToken)
    {
        var source = await MaterializeAsync(tools.SourceKey, work, "source", cancellationToken);
        var audio = Path.Combine(work, VideoToolsArtifacts.Audio);
        await renderer.ExtractAudioAsync(source, audio, cancellationToken);
        await store.SaveAsync(tools.ArtifactKey(VideoToolsArtifacts.Audio), await File.ReadAllBytesAsync(audio, cancellationToken), cancellationToken);
    }

    private async Task TranscribeAsync(VideoToolsJob tools, ISpeechEngine speech, string work, CancellationToken cancellationToken)
    {
        var audio = await MaterializeAsync(tools.ArtifactKey(VideoToolsArtifacts.Audio), work, VideoToolsArtifacts.Audio, cancellationToken);
        var transcript = await speech.TranscribeAsync(audio, tools.DurationSeconds, cancellationToken);
        if (transcript.Segments.Count == 0)
        {
            throw new ProviderFailureException(FailureClass.InvalidInput, "no speech found") { Cause = "no_speech" };
        }

        await SaveJsonAsync(tools.ArtifactKey(VideoToolsArtifacts.Transcript), transcript, cancellationToken);
    }

    private async Task TranslateAsync(VideoToolsJob tools, ISpeechEngine speech, CancellationToken cancellationToken)
    {
        var transcript = await ReadJsonAsync<Transcript>(tools.ArtifactKey(VideoToolsArtifacts.Transcript), cancellationToken);
        var translated = new List<Segment>();
        foreach (var batch in transcript.Segments.Chunk(TranslationBatch))
        {
            var lines = await speech.TranslateAsync([.. batch.Select(s => s.Text)], tools.TranslateTo, cancellationToken);
            translated.AddRange(batch.Zip(lines, (segment, line) => segment with { Text = line }));
        }

        await SaveJsonAsync(tools.ArtifactKey(VideoToolsArtifacts.Translation), new Transcript(tools.TranslateTo, translated), cancellationToken);
    }

    private async Task VoiceAsync(VideoToolsJob tools, ISpeechEngine speech, string work, CancellationToken cancellationToken)
    {
        var lines = await FinalLinesAsync(tools, cancellationToken);
        var clips = new List<VoiceClip>();
        for (var i = 0; i < lines.Segments.Count; i++)
        {
            var segment = lines.Segments[i];
            var audio = await speech.SpeakAsync(segment.Text, lines.Language, cancellationToken);
            var path = Path.Combine(work, $"line-{i}.audio");
            await File.WriteAllBytesAsync(path, audio.Data, cancellationToken);
            clips.Add(new VoiceClip(path, audio.InputFormat, segment.Start));
        }

        var voice = Path.Combine(work, VideoToolsArtifacts.Voice);
        await renderer.VoiceTrackAsync(clips, tools.DurationSeconds, work, voice, cancellationToken);
        await store.SaveAsync(tools.ArtifactKey(VideoToolsArtifacts.Voice), await File.ReadAllBytesAsync(voice, cancellationToken), cancellationToken);
    }

    private async Task RenderAsync(VideoToolsJob tools, string work, CancellationToken cancellationToken)
    {
        var source = await MaterializeAsync(tools.SourceKey, work, "source", cancellationToken);
        var (width, height) = VideoRenderer.OutputSize(tools.Reframe, tools.Width, tools.Height, tools.MaxOutputSide);
        string? captions = null;
        if (tools.Captions != CaptionStyle.Unspecified)
        {
            captions = Path.Combine(work, "captions.ass");
            await File.WriteAllTextAsync(captions, Subtitles.ToAss((await FinalLinesAsync(tools, cancellationToken)).Segments, tools.Captions, width, height), cancellationToken);
        }

        var voice = tools.VoiceOver ? await MaterializeAsync(tools.ArtifactKey(VideoToolsArtifacts.Voice), work, VideoToolsArtifacts.Voice, cancellationToken) : null;
        var probe = new MediaProbe(tools.DurationSeconds, tools.Width, tools.Height, HasVideo: true, tools.HasAudio);
        var output = Path.Combine(work, VideoToolsArtifacts.Rendered);
        try
        {
            await renderer.RenderAsync(source, probe, new RenderPlan(tools.Reframe, captions, voice, tools.Watermark ? options.WatermarkText : null, tools.ReplaceAudio, tools.MaxOutputSide), output, cancellationToken);
        }
        catch (ProviderFailureException failure) when (failure.FailureClass == FailureClass.InvalidInput)
        {
            throw new ProviderFailureException(failure.FailureClass, failure.Message, failure) { Cause = "too_large" };
        }

        await store.SaveAsync(tools.ArtifactKey(VideoToolsArtifacts.Rendered), await File.ReadAllBytesAsync(output, cancellationToken), cancellationToken);
    }

    /// <summary>The rendered video (when anything was rendered), the original .srt, and the translated .srt.</summary>
    private async Task<IReadOnlyList<GeneratedMedia>> ResultsAsync(VideoToolsJob tools, CancellationToken cancellationToken)
    {
        var results = new List<GeneratedMedia>();
        var seconds = (int)Math.Ceiling(tools.DurationSeconds);
        if (tools.Renders)
        {
            var video = await store.ReadAsync(tools.ArtifactKey(VideoToolsArtifacts.Rendered), cancellationToken)
                ?? throw new ProviderFailureException(FailureClass.Permanent, "the rendered video is gone from the store");
            var (width, height) = VideoRenderer.OutputSize(tools.Reframe, tools.Width, tools.Height, tools.MaxOutputSide);
            results.Add(new GeneratedMedia("video/mp4", video) { Width = width, Height = height, DurationSeconds = seconds });
        }

        var transcript = await ReadJsonAsync<Transcript>(tools.ArtifactKey(VideoToolsArtifacts.Transcript), cancellationToken);
        results.Add(new GeneratedMedia(SubRipMimeType, Encoding.UTF8.GetBytes(Subtitles.ToSrt(transcript.Segments))) { DurationSeconds = seconds });
        if (tools.TranslateTo.Length > 0)
        {
            var translation = await ReadJsonAsync<Transcript>(tools.ArtifactKey(VideoToolsArtifacts.Translation), cancellationToken);
            results.Add(new GeneratedMedia(SubRipMimeType, Encoding.UTF8.GetBytes(Subtitles.ToSrt(translation.Segments))) { DurationSeconds = seconds });
        }

        return results;
    }

    public const string SubRipMimeType = "application/x-subrip";

    /// <summary>The lines shown and spoken: the translation when there is one.</summary>
    private async Task<Transcript> FinalLinesAsync(VideoToolsJob tools, CancellationToken cancellationToken) =>
        await ReadJsonAsync<Transcript>(tools.ArtifactKey(tools.TranslateTo.Length > 0 ? VideoToolsArtifacts.Translation : VideoToolsArtifacts.Transcript), cancellationToken);

    /// <summary>Progress for the bot: the step now running.</summary>
    private async Task AnnounceAsync(GenerationJob job, VideoToolsStep step, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        db.AddIntegrationEvent(
            new GenerationStatusChanged
            {
                JobId = job.Id.ToString(),
                UserId = job.UserId,
                Status = JobStatus.Running,
                Step = step,
                ElapsedSeconds = job.StartedAt is { } startedAt ? (int)(now - startedAt).TotalSeconds : 0,
                OccurredAt = Timestamp.FromDateTimeOffset(now),
            },
            clock);
        await db.SaveChangesAsync(cancellationToken);
        services.NotifyOutbox();
    }

    /// <summary>Records the next step while the lease is still ours; false when another worker has the job now.</summary>
    private async Task<bool> AdvanceAsync(Guid jobId, Guid leaseToken, VideoToolsStep next, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE generation.video_tool_jobs SET next_step = {(int)next}
            WHERE job_id = {jobId} AND EXISTS (SELECT 1 FROM generation.jobs WHERE id = {jobId} AND lease_token = {leaseToken})
            """,
            cancellationToken) == 1;

    private async Task<string> MaterializeAsync(string key, string work, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(work, name);
        if (!File.Exists(path))
        {
            var content = await store.ReadAsync(key, cancellationToken)
                ?? throw new ProviderFailureException(FailureClass.Permanent, $"{key} is gone from the store");
            await File.WriteAllBytesAsync(path, content, cancellationToken);
        }

        return path;
    }

    private Task SaveJsonAsync<T>(string key, T value, CancellationToken cancellationToken) =>
        store.SaveAsync(key, JsonSerializer.SerializeToUtf8Bytes(value), cancellationToken);

    private async Task<T> ReadJsonAsync<T>(string key, CancellationToken cancellationToken)
    {
        var content = await store.ReadAsync(key, cancellationToken)
            ?? throw new ProviderFailureException(FailureClass.Permanent, $"{key} is gone from the store");
        return JsonSerializer.Deserialize<T>(content) ?? throw new ProviderFailureException(FailureClass.Permanent, $"{key} is empty");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Video tools job {JobId}: {Step} done in {ElapsedMs:F0} ms")]
    private static partial void LogStep(ILogger logger, Guid jobId, VideoToolsStep step, double elapsedMs);
}
