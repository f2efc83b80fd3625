using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Domain;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Creates a top-up package or replaces every field of an existing one (keyed by id).</summary>
internal sealed class UpsertPackage(CatalogDbContext db, TimeProvider clock, CatalogSnapshot catalog) : IUseCaseHandler<UpsertPackageRequest, UpsertPackageResponse>
{
    public async Task<Result<UpsertPackageResponse>> Handle(UpsertPackageRequest request, CancellationToken cancellationToken)
    {
        var contract = request.Package;
        var package = await db.Packages.SingleOrDefaultAsync(p => p.Id == contract.Id, cancellationToken);
        var created = package is null;
        package ??= db.Packages.Add(new TopUpPackage { Id = contract.Id, TitleRu = string.Empty, TitleEn = string.Empty }).Entity;
        contract.Adapt(package);
        package.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        return new UpsertPackageResponse { Package = package.Adapt<Package>(), Created = created };
    }
}

internal sealed class UpsertPackageValidator : AbstractValidator<UpsertPackageRequest>
{
    public UpsertPackageValidator()
    {
        RuleFor(r => r.Package).NotNull().WithMessage("A package is required.");
        When(r => r.Package is not null, () =>
        {
            RuleFor(r => r.Package.Id).MustBeSlug();
            RuleFor(r => r.Package.Title).NotNull().WithMessage("Titles in ru and en are required.");
            RuleFor(r => r.Package.Title.Ru).MustBeLabel(64).When(r => r.Package.Title is not null);
            RuleFor(r => r.Package.Title.En).MustBeLabel(64).When(r => r.Package.Title is not null);
            RuleFor(r => r.Package.Credits).InclusiveBetween(1, 1_000_000).WithMessage("A package holds 1 to 1,000,000 credits.");
            RuleFor(r => r.Package.BonusCredits).InclusiveBetween(0, 1_000_000).WithMessage("Bonus credits are 0 to 1,000,000.");
            // Telegram Stars invoices take whole Stars, 1 to 10,000 per payment item.
            RuleFor(r => r.Package.PriceStars).InclusiveBetween(1, 10_000).WithMessage("A Stars price is 1 to 10,000 Stars.");
            // YooKassa's minimum payment is 1 ₽.
            RuleFor(r => r.Package.PriceRubKopecks).InclusiveBetween(100, 100_000_000).WithMessage("A rouble price is 1 ₽ to 1,000,000 ₽ (in kopecks).");
            RuleFor(r => r.Package.SortOrder).GreaterThanOrEqualTo(0).WithMessage("Sort order cannot be negative.");
        });
    }
}
