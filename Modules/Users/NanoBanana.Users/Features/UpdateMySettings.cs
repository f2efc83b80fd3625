using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>
/// Replaces the signed-in user's settings. Preferred models must exist in the Catalog with the right
/// kind (asked in-process through the Catalog's own use case).
/// </summary>
internal sealed class UpdateMySettings(UsersDbContext db, CallContext call, UseCaseSender sender)
    : IUseCaseHandler<UpdateMySettingsRequest, UpdateMySettingsResponse>
{
    public async Task<Result<UpdateMySettingsResponse>> Handle(UpdateMySettingsRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<UpdateMySettingsResponse>.Unauthorized("Sign in first.");
        }

        var settings = request.Settings;
        if (await CheckModelAsync(settings.PreferredImageModel, ModelKind.Image, "settings.preferred_image_model", cancellationToken) is { } imageError)
        {
            return Result<UpdateMySettingsResponse>.Invalid(imageError);
        }

        if (await CheckModelAsync(settings.PreferredVideoModel, ModelKind.Video, "settings.preferred_video_model", cancellationToken) is { } videoError)
        {
            return Result<UpdateMySettingsResponse>.Invalid(videoError);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == call.Principal.UserId, cancellationToken);
        if (user is null)
        {
            return Result<UpdateMySettingsResponse>.Unauthorized("The session's user no longer exists.");
        }

        user.PreferredImageModel = settings.PreferredImageModel;
        user.PreferredVideoModel = settings.PreferredVideoModel;
        user.AspectRatio = settings.AspectRatio;
        user.InterfaceLanguage = (int)settings.InterfaceLanguage;
        await db.SaveChangesAsync(cancellationToken);
        return new UpdateMySettingsResponse { Settings = user.Adapt<UserSettings>() };
    }

    private async Task<ValidationError?> CheckModelAsync(string slug, ModelKind kind, string field, CancellationToken cancellationToken)
    {
        if (slug.Length == 0)
        {
            return null;
        }

        var model = await sender.SendAsync(Principal.Module, new GetModelRequest { Slug = slug }, cancellationToken);
        return model.IsSuccess && model.Value.Model.Kind == kind
            ? null
            : new ValidationError(field, $"'{slug}' is not an available {kind.ToString().ToLowerInvariant()} model.", "UnknownModel", ValidationSeverity.Error);
    }
}

internal sealed class UpdateMySettingsValidator : AbstractValidator<UpdateMySettingsRequest>
{
    public UpdateMySettingsValidator()
    {
        RuleFor(r => r.Settings).NotNull();
        RuleFor(r => r.Settings.AspectRatio).Matches("^([1-9][0-9]?:[1-9][0-9]?)?$").When(r => r.Settings is not null)
            .WithMessage("Aspect ratio must look like 16:9, or be empty.");
        RuleFor(r => r.Settings.InterfaceLanguage).IsDefinedEnum().When(r => r.Settings is not null);
        RuleFor(r => r.Settings.PreferredImageModel).MaximumLength(64).When(r => r.Settings is not null);
        RuleFor(r => r.Settings.PreferredVideoModel).MaximumLength(64).When(r => r.Settings is not null);
    }
}
