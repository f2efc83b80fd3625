using Mapster;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Jobs;

/// <summary>
/// Entity → contract pairs of the Generation module (conventions: <see cref="BuildingBlocks.Mapping.ProtoMapping"/>).
/// A job's queue position, estimate and elapsed time depend on the moment it is read: they come in as
/// Mapster map-context parameters (<see cref="AdaptToJob"/>), not from the entity.
/// </summary>
internal sealed class JobMapping : IRegister
{
    private const string NowParameter = "now";
    private const string QueuePositionParameter = "queuePosition";
    private const string EstimateSecondsParameter = "estimateSeconds";

    public static Job AdaptToJob(GenerationJob job, DateTimeOffset now, QueueSnapshot? queue = null) =>
        job.BuildAdapter()
            .AddParameters(NowParameter, now)
            .AddParameters(QueuePositionParameter, queue?.Position ?? 0)
            .AddParameters(EstimateSecondsParameter, queue?.EstimateSeconds ?? 0)
            .AdaptToType<Job>();

    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<GenerationJob, Job>()
            .Map(dest => dest.Id, src => src.Id.ToString())
            .Map(dest => dest.ChargedCredits, src => src.ChargedCredits ?? 0)
            .Map(dest => dest.FailureReason, src => src.FailureReasonEn == null ? null : new LocalizedText { Ru = src.FailureReasonRu ?? string.Empty, En = src.FailureReasonEn })
            .Map(dest => dest.ElapsedSeconds, src => src.StartedAt.HasValue ? (int)((src.FinishedAt ?? Parameter<DateTimeOffset>(NowParameter)) - src.StartedAt.Value).TotalSeconds : 0)
            .Map(dest => dest.QueuePosition, src => Parameter<int>(QueuePositionParameter))
            .Map(dest => dest.EstimateSeconds, src => Parameter<int>(EstimateSecondsParameter))
            .Map(dest => dest.Media, src => src.Media.OrderBy(m => m.Ordinal))
            .Map(dest => dest.ParentJobId, src => src.ParentJobId.HasValue ? src.ParentJobId.Value.ToString() : string.Empty);

        config.NewConfig<VideoToolsJob, VideoToolsChoice>();

        config.NewConfig<JobMedia, MediaRef>()
            .Map(dest => dest.Id, src => src.Id.ToString())
            .Map(dest => dest.DownloadPath, src => "/generation/media/" + src.Id.ToString());
    }

    private static T Parameter<T>(string name) => (T)MapContext.Current!.Parameters[name];
}

/// <summary>Where a queued job stands and how long it will probably take.</summary>
internal sealed record QueueSnapshot(int Position, int EstimateSeconds);
