using Google.Protobuf.WellKnownTypes;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Jobs;

internal static class JobMapping
{
    public static Job ToContract(this GenerationJob job, DateTimeOffset now, QueueSnapshot? queue = null)
    {
        var contract = new Job
        {
            Id = job.Id.ToString(),
            UserId = job.UserId,
            Status = job.Status,
            Kind = job.Kind,
            ModelSlug = job.ModelSlug,
            Prompt = job.Prompt,
            PriceCredits = job.PriceCredits,
            FailureClass = job.FailureClass,
            CreatedAt = Timestamp.FromDateTimeOffset(job.CreatedAt),
            Attempts = job.Attempts,
            AspectRatio = job.AspectRatio,
            DurationSeconds = job.DurationSeconds,
            Resolution = job.Resolution,
            Audio = job.Audio,
            CancelRequested = job.CancelRequested,
            QueuePosition = queue?.Position ?? 0,
            EstimateSeconds = queue?.EstimateSeconds ?? 0,
        };
        if (job.FailureReasonEn is not null)
        {
            contract.FailureReason = new LocalizedText { Ru = job.FailureReasonRu ?? string.Empty, En = job.FailureReasonEn };
        }

        if (job.StartedAt is { } started)
        {
            contract.StartedAt = Timestamp.FromDateTimeOffset(started);
            contract.ElapsedSeconds = (int)((job.FinishedAt ?? now) - started).TotalSeconds;
        }

        if (job.FinishedAt is { } finished)
        {
            contract.FinishedAt = Timestamp.FromDateTimeOffset(finished);
        }

        contract.Media.AddRange(job.Media.OrderBy(m => m.Ordinal).Select(ToContract));
        return contract;
    }

    public static MediaRef ToContract(this JobMedia media) => new()
    {
        Id = media.Id.ToString(),
        MimeType = media.MimeType,
        SizeBytes = media.SizeBytes,
        Width = media.Width,
        Height = media.Height,
        DurationSeconds = media.DurationSeconds,
        DownloadPath = $"/generation/media/{media.Id}",
    };
}

/// <summary>Where a queued job stands and how long it will probably take.</summary>
internal sealed record QueueSnapshot(int Position, int EstimateSeconds);
