using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Sets the price of one prompt-assistant request; the next request pays it.</summary>
internal sealed class SetAssistantPrice(CatalogDbContext db, TimeProvider clock) : IUseCaseHandler<SetAssistantPriceRequest, SetAssistantPriceResponse>
{
    public async Task<Result<SetAssistantPriceResponse>> Handle(SetAssistantPriceRequest request, CancellationToken cancellationToken)
    {
        var row = await db.AssistantPrices.SingleOrDefaultAsync(p => p.Feature == Domain.AssistantPrice.PromptAssistant, cancellationToken);
        row ??= db.AssistantPrices.Add(new Domain.AssistantPrice()).Entity;
        row.CreditsPerRequest = request.Price.CreditsPerRequest;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new SetAssistantPriceResponse { Price = request.Price.Clone() };
    }
}

internal sealed class SetAssistantPriceValidator : AbstractValidator<SetAssistantPriceRequest>
{
    public SetAssistantPriceValidator()
    {
        RuleFor(r => r.Price).NotNull().WithMessage("A price is required.");
        When(r => r.Price is not null, () =>
            RuleFor(r => r.Price.CreditsPerRequest).InclusiveBetween(0, 100_000).WithMessage("A request costs 0 to 100,000 credits."));
    }
}
