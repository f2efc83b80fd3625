using Ardalis.Result;
using FluentValidation;
using Google.Protobuf;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;

namespace NanoBanana.Generation.Features;

/// <summary>A stored result's bytes, for the bot to upload to Telegram.</summary>
internal sealed class GetMediaContent(GenerationDbContext db, IMediaStore store) : IUseCaseHandler<GetMediaContentRequest, GetMediaContentResponse>
{
    public async Task<Result<GetMediaContentResponse>> Handle(GetMediaContentRequest request, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(request.MediaId);
        var media = await db.Media.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        var content = media is null ? null : await store.ReadAsync(media.StorageKey, cancellationToken);
        return content is null
            ? Result<GetMediaContentResponse>.NotFound("No such media (or it has been deleted by retention).")
            : new GetMediaContentResponse { Media = media!.Adapt<MediaRef>(), Content = ByteString.CopyFrom(content) };
    }
}

internal sealed class GetMediaContentValidator : AbstractValidator<GetMediaContentRequest>
{
    public GetMediaContentValidator() => RuleFor(r => r.MediaId).Must(id => Guid.TryParse(id, out _)).WithMessage("A media id is a UUID.");
}
