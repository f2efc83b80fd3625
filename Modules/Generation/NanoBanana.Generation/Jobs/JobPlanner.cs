using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Inputs;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Jobs;

/// <summary>A request checked against its Catalog model: normalized parameters, price, engine and decoded references.</summary>
internal sealed record JobPlan(
    GenerationSpec Spec,
    Model Model,
    Engine Engine,
    long PriceCredits,
    long ProviderCostKopecks,
    IReadOnlyList<(ImageInfo Info, byte[] Data)> References)
{
    /// <summary>What the provider is told: the user's prompt, or the server's own instruction (try-on).</summary>
    public string ProviderPrompt { get; init; } = Spec.Prompt;
}

/// <summary>Checks a <see cref="GenerationSpec"/> against the model's Catalog capabilities (through Catalog's contract only).</summary>
internal sealed class JobPlanner(UseCaseSender sender, ProviderRegistry providers)
{
    public const int MaxPromptLength = 2000;

    public async Task<Result<JobPlan>> PlanAsync(GenerationSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Kind == GenerationKind.TryOn)
        {
            return await PlanTryOnAsync(spec, cancellationToken);
        }

        var offered = await OfferedModelAsync(spec.ModelSlug, cancellationToken);
        if (!offered.IsSuccess)
        {
            return offered.ToFailure();
        }

        var (model, engine) = offered.Value;
        var caps = model.Capabilities ?? new Capabilities();
        var errors = new List<ValidationError>();
        var isVideo = spec.Kind.IsVideo();
        var supported = spec.Kind switch
        {
            GenerationKind.TextToImage => caps.TextToImage,
            GenerationKind.ImageToImage => caps.ImageToImage,
            GenerationKind.TextToVideo => caps.TextToVideo,
            GenerationKind.ImageToVideo => caps.ImageToVideo,
            GenerationKind.ReferencesToVideo => caps.MaxAssetReferences > 0,
            _ => false,
        };
        if (!supported)
        {
            return Invalid("spec.kind", $"The model '{model.Slug}' does not do {spec.Kind}.");
        }

        var normalized = new GenerationSpec
        {
            ModelSlug = model.Slug,
            Kind = spec.Kind,
            Prompt = spec.Prompt.Trim(),
            Audio = spec.Audio,
        };

        var references = CheckReferences(spec, caps, errors);
        normalized.ReferenceImages.AddRange(spec.ReferenceImages);
        if (spec.LastFrame is { } lastFrame)
        {
            if (spec.Kind != GenerationKind.ImageToVideo || !caps.LastFrame)
            {
                errors.Add(new ValidationError("spec.last_frame", spec.Kind == GenerationKind.ImageToVideo
                    ? $"The model '{model.Slug}' takes no last frame."
                    : "A last frame goes only with a first frame (image to video)."));
            }
            else if (CheckImage(lastFrame, "spec.last_frame.data", errors) is { } checkedFrame)
            {
                // Stored after the first frame; the job's LastFrame flag says the last input is the final frame.
                references.Add(checkedFrame);
                normalized.LastFrame = lastFrame;
            }
        }

        var maxImages = model.MaxImagesPerRequest();
        if (isVideo)
        {
            if (spec.ImageCount > 1)
            {
                errors.Add(new ValidationError("spec.image_count", "A video request makes one clip."));
            }
        }
        else
        {
            normalized.ImageCount = spec.ImageCount == 0 ? 1 : spec.ImageCount;
            if (normalized.ImageCount < 1 || normalized.ImageCount > maxImages)
            {
                errors.Add(new ValidationError("spec.image_count", maxImages == 1 ? "The model makes one image per request." : $"The model makes 1 to {maxImages} images per request."));
            }
        }

        normalized.AspectRatio = spec.AspectRatio.Length > 0 || spec.Kind == GenerationKind.ImageToImage
            ? spec.AspectRatio
            : caps.AspectRatios.FirstOrDefault() ?? string.Empty;
        if (normalized.AspectRatio.Length > 0 && !caps.AspectRatios.Contains(normalized.AspectRatio))
        {
            errors.Add(new ValidationError("spec.aspect_ratio", $"The model takes aspect ratios {string.Join(", ", caps.AspectRatios)}."));
        }

        normalized.Resolution = spec.Resolution.Length > 0 ? spec.Resolution : model.DefaultResolution();
        if (normalized.Resolution.Length > 0 && !caps.Resolutions.Contains(normalized.Resolution))
        {
            errors.Add(new ValidationError("spec.resolution", $"The model takes resolutions {string.Join(", ", caps.Resolutions)}."));
        }

        if (isVideo)
        {
            // Veo forces 8 s clips with asset references; the Catalog lists the lengths allowed with them.
            var assetReferences = spec.Kind == GenerationKind.ReferencesToVideo;
            normalized.DurationSeconds = spec.DurationSeconds != 0 ? spec.DurationSeconds : model.DurationsAt(normalized.Resolution, assetReferences).DefaultIfEmpty(0).First();
            if (!caps.DurationsSeconds.Contains(normalized.DurationSeconds))
            {
                errors.Add(new ValidationError("spec.duration_seconds", $"The model makes clips of {string.Join(", ", caps.DurationsSeconds)} seconds."));
            }
            else if (assetReferences && caps.AssetReferenceDurationsSeconds.Count > 0 && !caps.AssetReferenceDurationsSeconds.Contains(normalized.DurationSeconds))
            {
                errors.Add(new ValidationError("spec.duration_seconds", $"With reference images the model makes clips of {string.Join(", ", caps.AssetReferenceDurationsSeconds)} seconds."));
            }
            else if (errors.Count == 0 && model.PriceOf(normalized.Resolution, normalized.DurationSeconds) is null)
            {
                // A documented provider rule (Veo: 1080p and 4k only as 8 s clips) the Catalog encodes per resolution.
                errors.Add(new ValidationError("spec.duration_seconds", $"At {normalized.Resolution} the model makes clips of {string.Join(", ", model.DurationsAt(normalized.Resolution))} seconds."));
            }

            if (spec.Audio && !caps.Audio)
            {
                errors.Add(new ValidationError("spec.audio", "The model cannot add sound."));
            }
        }
        else
        {
            if (spec.DurationSeconds != 0)
            {
                errors.Add(new ValidationError("spec.duration_seconds", "Images have no duration."));
            }

            if (spec.Audio)
            {
                errors.Add(new ValidationError("spec.audio", "Images have no sound."));
            }
        }

        var (price, cost) = model.PriceOf(normalized.Resolution, normalized.DurationSeconds, Math.Max(1, normalized.ImageCount)) ?? default;
        if (errors.Count == 0 && price <= 0)
        {
            errors.Add(new ValidationError("spec.model_slug", "The model has no price for this request."));
        }

        return errors.Count > 0
            ? Result<JobPlan>.Invalid(errors)
            : new JobPlan(normalized, model, engine, price, cost, references);
    }

    /// <summary>
    /// Try-on (ADR 0165): the Catalog's offer names the model and the price; the request brings the person, the
    /// garment and the zone, and nothing the model could be steered with (no prompt, size, ratio or count).
    /// </summary>
    private async Task<Result<JobPlan>> PlanTryOnAsync(GenerationSpec spec, CancellationToken cancellationToken)
    {
        var found = await sender.SendAsync(Principal.Module, new GetTryOnOfferRequest(), cancellationToken);
        if (!found.IsSuccess)
        {
            return found.ToFailure();
        }

        var offer = found.Value.Offer;
        if (!offer.Enabled)
        {
            return Invalid("spec.kind", "Virtual try-on is switched off.");
        }

        var offered = await OfferedModelAsync(offer.ModelSlug, cancellationToken);
        if (!offered.IsSuccess)
        {
            return Invalid("spec.kind", "Virtual try-on is not offered now: " + string.Join(" ", offered.ValidationErrors.Select(e => e.ErrorMessage)));
        }

        var (model, engine) = offered.Value;
        var errors = new List<ValidationError>();
        if (spec.ReferenceImages.Count != 2)
        {
            errors.Add(new ValidationError("spec.reference_images", "Send exactly two images: the person, then the garment."));
        }

        if (!Enum.IsDefined(spec.TryOnZone) || spec.TryOnZone == TryOnZone.Unspecified)
        {
            errors.Add(new ValidationError("spec.try_on_zone", "Choose where the garment goes (top, bottom, dress, outerwear, shoes, hat, glasses, bag or jewelry)."));
        }

        if (spec.AspectRatio.Length > 0 || spec.Resolution.Length > 0 || spec.DurationSeconds != 0 || spec.Audio || spec.ImageCount > 1 || spec.LastFrame is not null)
        {
            errors.Add(new ValidationError("spec.kind", "A try-on takes only the two images and the zone; the result keeps the person photo's framing."));
        }

        var references = new List<(ImageInfo, byte[])>();
        string[] roles = ["person", "garment"];
        for (var i = 0; i < Math.Min(2, spec.ReferenceImages.Count); i++)
        {
            if (CheckImage(spec.ReferenceImages[i], $"spec.reference_images[{i}].data", errors, roles[i]) is { } reference)
            {
                references.Add(reference);
            }
        }

        if (errors.Count > 0)
        {
            return Result<JobPlan>.Invalid(errors);
        }

        var normalized = new GenerationSpec { Kind = GenerationKind.TryOn, ImageCount = 1, TryOnZone = spec.TryOnZone, Resolution = model.DefaultResolution() };
        normalized.ReferenceImages.AddRange(spec.ReferenceImages);
        return new JobPlan(normalized, model, engine, offer.PriceCredits, offer.ProviderCostKopecks, references)
        {
            ProviderPrompt = TryOnPrompts.For(spec.TryOnZone),
        };
    }

    /// <summary>The model by slug when users may start jobs on it here, with the engine that runs it.</summary>
    private async Task<Result<(Model Model, Engine Engine)>> OfferedModelAsync(string slug, CancellationToken cancellationToken)
    {
        var found = await sender.SendAsync(Principal.Module, new GetModelRequest { Slug = slug }, cancellationToken);
        if (found.Status is ResultStatus.NotFound or ResultStatus.Invalid)
        {
            return Unoffered($"Unknown model '{slug}'.");
        }

        if (!found.IsSuccess)
        {
            return found.ToFailure();
        }

        var model = found.Value.Model;
        if (!model.Active)
        {
            return Unoffered($"The model '{model.Slug}' is switched off.");
        }

        if (model.ProviderUnlisted)
        {
            return Unoffered($"The model '{model.Slug}' is not offered now: its provider no longer lists '{model.ProviderModelId}'.");
        }

        return providers.EngineFor(model.Provider) is { } engine
            ? (model, engine)
            : Unoffered($"The model '{model.Slug}' is not offered here (its provider is not configured).");

        static Result<(Model, Engine)> Unoffered(string message) => Result<(Model, Engine)>.Invalid(new ValidationError("spec.model_slug", message));
    }

    private static List<(ImageInfo, byte[])> CheckReferences(GenerationSpec spec, Capabilities caps, List<ValidationError> errors)
    {
        var count = spec.ReferenceImages.Count;
        var max = caps.MaxReferenceImages;
        switch (spec.Kind)
        {
            case GenerationKind.TextToImage or GenerationKind.TextToVideo when count > 0:
                errors.Add(new ValidationError("spec.reference_images", "Text requests take no reference images; use an image kind."));
                return [];
            case GenerationKind.ImageToImage when count < 1 || count > max:
                errors.Add(new ValidationError("spec.reference_images", $"Send 1 to {max} reference images."));
                return [];
            case GenerationKind.ImageToVideo when count != 1:
                errors.Add(new ValidationError("spec.reference_images", "Send exactly one image to animate."));
                return [];
            case GenerationKind.ReferencesToVideo when count < 1 || count > caps.MaxAssetReferences:
                errors.Add(new ValidationError("spec.reference_images", $"Send 1 to {caps.MaxAssetReferences} reference images."));
                return [];
        }

        var references = new List<(ImageInfo, byte[])>();
        for (var i = 0; i < count; i++)
        {
            if (CheckImage(spec.ReferenceImages[i], $"spec.reference_images[{i}].data", errors) is { } reference)
            {
                references.Add(reference);
            }
        }

        return references;
    }

    private static (ImageInfo, byte[])? CheckImage(ReferenceImage image, string field, List<ValidationError> errors, string what = "image")
    {
        var data = image.Data;
        if (data.Length == 0 || data.Length > ImageInspector.MaxBytes)
        {
            errors.Add(new ValidationError(field, $"The {what} image must be 1 byte to 10 MB."));
            return null;
        }

        var bytes = data.ToByteArray();
        if (ImageInspector.Inspect(bytes) is not { } info)
        {
            errors.Add(new ValidationError(field, $"The {what} image is not a JPEG, PNG or WebP image."));
            return null;
        }

        if (info.Width < ImageInspector.MinSide || info.Height < ImageInspector.MinSide || info.Width > ImageInspector.MaxSide || info.Height > ImageInspector.MaxSide)
        {
            errors.Add(new ValidationError(field, $"The {what} image is {info.Width}×{info.Height}; each side must be {ImageInspector.MinSide} to {ImageInspector.MaxSide} pixels."));
            return null;
        }

        return (info, bytes);
    }

    private static Result<JobPlan> Invalid(string field, string message) => Result<JobPlan>.Invalid(new ValidationError(field, message));
}

/// <summary>Field rules every request carrying a <see cref="GenerationSpec"/> shares (before the Catalog is asked).</summary>
internal static class SpecRules
{
    public static IRuleBuilderOptions<T, GenerationSpec?> MustBeValidSpec<T>(this IRuleBuilder<T, GenerationSpec?> rule) =>
        rule.NotNull().WithMessage("A generation spec is required.")
            .SetValidator(new SpecValidator()!);

    public static IRuleBuilderOptions<T, string> MustBeClientRequestId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(id => !string.IsNullOrWhiteSpace(id)).WithMessage("A client request id is required.")
            .MaximumLength(64).WithMessage("A client request id is at most 64 characters.");

    /// <summary>The most any model takes (Nano Banana Pro's 14); the model's own maximum is checked by the planner.</summary>
    private const int MaxReferenceImages = 14;

    private sealed class SpecValidator : AbstractValidator<GenerationSpec>
    {
        public SpecValidator()
        {
            RuleFor(s => s.Kind).IsDefinedEnum().NotEqual(GenerationKind.Unspecified).WithMessage("Choose what to generate.");
            When(s => s.Kind != GenerationKind.TryOn, () =>
            {
                RuleFor(s => s.ModelSlug).NotEmpty().WithMessage("Choose a model.");
                RuleFor(s => s.Prompt)
                    .Must(p => p.Trim().Length > 0).WithMessage("The prompt is empty.")
                    .Must(p => p.Trim().Length <= JobPlanner.MaxPromptLength).WithMessage($"The prompt is at most {JobPlanner.MaxPromptLength} characters.");
                RuleFor(s => s.TryOnZone).Equal(TryOnZone.Unspecified).WithMessage("A zone goes only with a try-on.");
            });
            When(s => s.Kind == GenerationKind.TryOn, () =>
            {
                // The try-on's instruction is the server's; the model is the Catalog's try-on offer.
                RuleFor(s => s.Prompt).Empty().WithMessage("A try-on takes no prompt.");
                RuleFor(s => s.ModelSlug).Empty().WithMessage("A try-on takes no model: the catalog's try-on offer names it.");
            });
            RuleFor(s => s.ReferenceImages.Count).LessThanOrEqualTo(MaxReferenceImages).WithMessage($"At most {MaxReferenceImages} reference images.").OverridePropertyName("ReferenceImages");
            RuleFor(s => s.ImageCount).InclusiveBetween(0, 4).WithMessage("A request makes 1 to 4 images.");
            RuleFor(s => s.ParentJobId).Must(id => id.Length == 0 || Guid.TryParse(id, out _)).WithMessage("The edited job's id is a UUID.");
            RuleFor(s => s.Kind).Equal(GenerationKind.ImageToImage).When(s => s.ParentJobId.Length > 0).WithMessage("An edit is an image-to-image job.");
        }
    }
}

/// <summary>Rules for ids in requests.</summary>
internal static class IdRules
{
    public static IRuleBuilderOptions<T, string> MustBeJobId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(id => Guid.TryParse(id, out _)).WithMessage("A job id is a UUID.");
}
