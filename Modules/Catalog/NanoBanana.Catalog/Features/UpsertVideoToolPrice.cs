using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Sets one video tool's price per started minute; the next quote uses it, running jobs keep theirs.</summary>
internal sealed class UpsertVideoToolPrice(CatalogDbContext db, TimeProvider clock) : IUseCaseHandler<UpsertVideoToolPriceRequest, UpsertVideoToolPriceResponse>
{
    public async Task<Result<UpsertVideoToolPriceResponse>> Handle(UpsertVideoToolPriceRequest request, CancellationToken cancellationToken)
    {
        var price = request.Price;
        var row = await db.VideoToolPrices.SingleOrDefaultAsync(p => p.Tool == (int)price.Tool, cancellationToken);
        row ??= db.VideoToolPrices.Add(new Domain.VideoToolPrice { Tool = (int)price.Tool }).Entity;
        row.CreditsPerMinute = price.CreditsPerMinute;
        row.ProviderCostKopecksPerMinute = price.ProviderCostKopecksPerMinute;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new UpsertVideoToolPriceResponse { Price = price.Clone() };
    }
}

internal sealed class UpsertVideoToolPriceValidator : AbstractValidator<UpsertVideoToolPriceRequest>
{
    public UpsertVideoToolPriceValidator()
    {
        RuleFor(r => r.Price).NotNull().WithMessage("A price is required.");
        When(r => r.Price is not null, () =>
        {
            RuleFor(r => r.Price.Tool).IsDefinedEnum().NotEqual(VideoTool.Unspecified).WithMessage("Name the video tool.");
            RuleFor(r => r.Price.CreditsPerMinute).InclusiveBetween(0, 100_000).WithMessage("A price per minute is 0 to 100,000 credits.");
            RuleFor(r => r.Price.ProviderCostKopecksPerMinute).InclusiveBetween(0, 10_000_000).WithMessage("A cost per minute is 0 to 10,000,000 kopecks.");
        });
    }
}
