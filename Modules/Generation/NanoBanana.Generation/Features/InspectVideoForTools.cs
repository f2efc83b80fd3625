using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Media;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation.Features;

/// <summary>
/// Takes a user's video for the tools: probed with ffprobe, refused with a reason (broken, no sound,
/// longer than the user's plan allows, too large, too many pixels) or kept as an upload for 24 h to be
/// quoted and started.
/// </summary>
internal sealed class InspectVideoForTools(GenerationDbContext db, IMediaStore store, VideoRenderer renderer, VideoToolsPlanner planner, VideoToolsOptions options, TimeProvider clock)
    : IUseCaseHandler<InspectVideoForToolsRequest, InspectVideoForToolsResponse>
{
    public async Task<Result<InspectVideoForToolsResponse>> Handle(InspectVideoForToolsRequest request, CancellationToken cancellationToken)
    {
        if (request.Content.Length > options.MaxInputBytes)
        {
            return Refused(VideoRefusal.TooLarge);
        }

        var probe = await ProbeAsync(request.Content.Memory, cancellationToken);
        if (probe is not { HasVideo: true, DurationSeconds: > 0, Width: > 0, Height: > 0 })
        {
            return Refused(VideoRefusal.Broken);
        }

        if (!probe.HasAudio)
        {
            return Refused(VideoRefusal.NoAudio);
        }

        var allowance = await planner.AllowanceForUserAsync(request.UserId, cancellationToken);
        if (!allowance.IsSuccess)
        {
            return allowance.ToFailure();
        }

        if (probe.DurationSeconds > allowance.Value.MaxDurationSeconds)
        {
            return Refused(VideoRefusal.TooLong);
        }

        if (Math.Max(probe.Width, probe.Height) > options.MaxSideLength)
        {
            return Refused(VideoRefusal.Resolution);
        }

        var now = clock.GetUtcNow();
        var upload = new UploadedVideo
        {
            Id = Guid.CreateVersion7(now),
            UserId = request.UserId,
            FileName = Path.GetFileName(request.FileName.Trim()) is { Length: > 0 and <= 200 } name ? name : "video",
            SizeBytes = request.Content.Length,
            DurationSeconds = probe.DurationSeconds,
            Width = probe.Width,
            Height = probe.Height,
            HasAudio = probe.HasAudio,
            CreatedAt = now,
        };
        upload.StorageKey = $"uploads/{upload.Id:N}/source";
        await store.SaveAsync(upload.StorageKey, request.Content.Memory, cancellationToken);
        db.VideoUploads.Add(upload);
        await db.SaveChangesAsync(cancellationToken);
        return new InspectVideoForToolsResponse { Upload = upload.ToContract() };
    }

    private async Task<MediaProbe?> ProbeAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nb-probe-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(path, content.ToArray(), cancellationToken);
        try
        {
            return await renderer.ProbeAsync(path, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static InspectVideoForToolsResponse Refused(VideoRefusal refusal) => new() { Refusal = refusal };
}

internal sealed class InspectVideoForToolsValidator : AbstractValidator<InspectVideoForToolsRequest>
{
    public InspectVideoForToolsValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Content.Length).GreaterThan(0).WithMessage("The file is empty.");
    }
}
