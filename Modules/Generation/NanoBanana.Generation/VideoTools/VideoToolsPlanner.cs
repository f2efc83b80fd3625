using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.VideoTools;

/// <summary>A choice checked against its upload: the price for the real duration and the engine that will run it.</summary>
internal sealed record VideoToolsPlan(UploadedVideo Upload, VideoToolsChoice Choice, int BilledMinutes, long PriceCredits, long ProviderCostKopecks, Engine Engine, VideoToolsAllowance Allowance);

/// <summary>
/// What a plan allows in the video tools (ADR 0142): the longest video (the plan's own limit, or the tools'
/// default when the plan sets none), the watermark, the plan's jobs a day (0 = no limit) and the longest side
/// of the rendered video (the plan's, or <see cref="VideoRenderer.DefaultMaxOutputSide"/>).
/// </summary>
internal sealed record VideoToolsAllowance(string PlanId, int MaxDurationSeconds, bool Watermark, int DailyJobLimit, int MaxOutputSide);

/// <summary>
/// Prices a video-tools choice: ⌈duration / 60 s⌉ × the Catalog's per-minute prices of the chosen
/// options (subtitles always), the same for the quote and the start; a video longer than the user's plan
/// allows is refused on the field <see cref="VideoToolsFields.Duration"/>.
/// </summary>
internal sealed class VideoToolsPlanner(GenerationDbContext db, UseCaseSender sender, ProviderRegistry providers, UserPlanTerms plans, VideoToolsOptions options)
{

    public const string ModelSlug = "video-tools";

    /// <summary>Offered as buttons; any other ISO 639-1 code works too.</summary>
    public static readonly IReadOnlyList<string> TargetLanguages = ["en", "ru", "es", "de", "fr", "pt", "it", "tr"];

    public async Task<Result<VideoToolsPlan>> PlanAsync(long userId, string uploadId, VideoToolsChoice choice, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(uploadId, out var id))
        {
            return Invalid("upload_id", "Unknown upload.");
        }

        var upload = await db.VideoUploads.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id && u.UserId == userId && u.DeletedAt == null, cancellationToken);
        if (upload is null)
        {
            return Invalid("upload_id", "The video is no longer here (uploads are kept for 24 hours); send it again.");
        }

        if (providers.EngineFor(Provider.Gemini) is not { } engine)
        {
            return Invalid("upload_id", "Video tools are not offered here (the speech provider is not configured).");
        }

        var allowance = await AllowanceForUserAsync(userId, cancellationToken);
        if (!allowance.IsSuccess)
        {
            return allowance.ToFailure();
        }

        if (upload.DurationSeconds > allowance.Value.MaxDurationSeconds)
        {
            return Invalid(VideoToolsFields.Duration, $"The video is longer than the {allowance.Value.MaxDurationSeconds} s the {allowance.Value.PlanId} plan allows.");
        }

        var prices = await sender.SendAsync(Principal.Module, new ListVideoToolPricesRequest(), cancellationToken);
        if (!prices.IsSuccess)
        {
            return prices.ToFailure();
        }

        var minutes = UploadedVideo.StartedMinutes(upload.DurationSeconds);
        var chosen = Chosen(choice).ToHashSet();
        var applicable = prices.Value.Prices.Where(p => chosen.Contains(p.Tool)).ToList();
        return new VideoToolsPlan(
            upload,
            choice,
            minutes,
            applicable.Sum(p => p.CreditsPerMinute) * minutes,
            applicable.Sum(p => p.ProviderCostKopecksPerMinute) * minutes,
            engine,
            allowance.Value);
    }

    /// <summary>What the user's current plan allows (read per call: an upgrade counts at once).</summary>
    public async Task<Result<VideoToolsAllowance>> AllowanceForUserAsync(long userId, CancellationToken cancellationToken) =>
        (await plans.ForUserAsync(userId, cancellationToken)).Map(Allowance);

    /// <summary>What a plan allows, for a caller who is not signed in (the free plan).</summary>
    public async Task<Result<VideoToolsAllowance>> AllowanceForPlanAsync(string planId, CancellationToken cancellationToken) =>
        (await plans.ForPlanAsync(planId, cancellationToken)).Map(Allowance);

    public VideoToolsAllowance Allowance(PlanTerms terms) => new(
        terms.PlanId,
        terms.MaxVideoToolsSeconds > 0 ? terms.MaxVideoToolsSeconds : options.MaxDurationSeconds,
        terms.Watermark,
        terms.DailyJobLimit,
        VideoRenderer.MaxOutputSideFor(terms.VideoToolsMaxSide));

    private static IEnumerable<VideoTool> Chosen(VideoToolsChoice choice)
    {
        yield return VideoTool.Subtitles;
        if (choice.TranslateTo.Length > 0)
        {
            yield return VideoTool.Translation;
        }

        if (choice.VoiceOver)
        {
            yield return VideoTool.VoiceOver;
        }

        if (choice.Captions != CaptionStyle.Unspecified)
        {
            yield return VideoTool.BurnedCaptions;
        }

        if (choice.Reframe != Reframe.Unspecified)
        {
            yield return VideoTool.Vertical;
        }
    }

    private static Result<VideoToolsPlan> Invalid(string field, string message) => Result<VideoToolsPlan>.Invalid(new ValidationError(field, message));
}

/// <summary>Field rules of a <see cref="VideoToolsChoice"/> (before anything is looked up).</summary>
internal static class VideoToolsChoiceRules
{
    public static IRuleBuilderOptions<T, VideoToolsChoice> MustBeValidChoice<T>(this IRuleBuilder<T, VideoToolsChoice> rule) =>
        rule.NotNull().WithMessage("Choose what to do with the video.")
            .SetValidator(new ChoiceValidator());

    private sealed class ChoiceValidator : AbstractValidator<VideoToolsChoice>
    {
        public ChoiceValidator()
        {
            RuleFor(c => c.TranslateTo).Matches("^([a-z]{2})?$").WithMessage("A target language is a two-letter ISO 639-1 code (say \"de\").");
            RuleFor(c => c.VoiceOver).Must((c, voice) => !voice || c.TranslateTo.Length > 0).WithMessage("A voice-over is spoken in the target language: choose one.");
            RuleFor(c => c.ReplaceAudio).Must((c, replace) => !replace || c.VoiceOver).WithMessage("Only a voice-over can replace the original sound: turn the voice-over on.");
            RuleFor(c => c.Captions).IsDefinedEnum().WithMessage("Unknown caption style.");
            RuleFor(c => c.Reframe).IsDefinedEnum().WithMessage("Unknown reframe.");
        }
    }
}
