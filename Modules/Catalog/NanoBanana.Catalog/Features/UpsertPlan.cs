using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Domain;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>
/// Creates a plan or replaces every field of an existing one (keyed by id). New terms apply to the next
/// paid period; a period already paid keeps the credits it was granted.
/// </summary>
internal sealed class UpsertPlan(CatalogDbContext db, TimeProvider clock, CatalogSnapshot catalog) : IUseCaseHandler<UpsertPlanRequest, UpsertPlanResponse>
{
    public async Task<Result<UpsertPlanResponse>> Handle(UpsertPlanRequest request, CancellationToken cancellationToken)
    {
        var contract = request.Plan;
        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Id == contract.Id, cancellationToken);
        var created = plan is null;
        plan ??= db.Plans.Add(new SubscriptionPlan { Id = contract.Id, TitleRu = string.Empty, TitleEn = string.Empty }).Entity;
        contract.Adapt(plan);
        plan.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        return new UpsertPlanResponse { Plan = plan.Adapt<Plan>(), Created = created };
    }
}

internal sealed class UpsertPlanValidator : AbstractValidator<UpsertPlanRequest>
{
    public UpsertPlanValidator()
    {
        RuleFor(r => r.Plan).NotNull().WithMessage("A plan is required.");
        When(r => r.Plan is not null, () =>
        {
            RuleFor(r => r.Plan.Id).MustBeSlug();
            RuleFor(r => r.Plan.Title).NotNull().WithMessage("Titles in ru and en are required.");
            RuleFor(r => r.Plan.Title.Ru).MustBeLabel(32).When(r => r.Plan.Title is not null);
            RuleFor(r => r.Plan.Title.En).MustBeLabel(32).When(r => r.Plan.Title is not null);
            // The free plan is nobody's purchase; every other plan is a Stars subscription (Telegram: 1 to 10,000 Stars).
            RuleFor(r => r.Plan.PriceStars).Equal(0).When(r => r.Plan.Id == PlanIds.Free).WithMessage("The free plan has no price.");
            RuleFor(r => r.Plan.PriceStars).InclusiveBetween(1, 10_000).When(r => r.Plan.Id != PlanIds.Free).WithMessage("A plan's Stars price is 1 to 10,000 Stars per 30 days.");
            RuleFor(r => r.Plan.PriceRubKopecks).Equal(0).When(r => r.Plan.Id == PlanIds.Free).WithMessage("The free plan has no price.");
            RuleFor(r => r.Plan.PriceRubKopecks).InclusiveBetween(0, 100_000_000).WithMessage("A plan's rouble price is 0 (Stars only) to 1,000,000 ₽ in kopecks.");
            RuleFor(r => r.Plan.MonthlyCredits).InclusiveBetween(0, 1_000_000).WithMessage("Monthly credits are 0 to 1,000,000.");
            // The free plan's monthly credits are its allowance, which expires with the month (ADR 0161).
            RuleFor(r => r.Plan.CreditsRollover).Equal(false).When(r => r.Plan.Id == PlanIds.Free).WithMessage("The free plan's monthly allowance never rolls over.");
            RuleFor(r => r.Plan.DailyJobLimit).InclusiveBetween(0, 100_000).WithMessage("A daily job limit is 0 (none) to 100,000.");
            RuleFor(r => r.Plan.QueuePriority).InclusiveBetween(0, 10).WithMessage("Queue priority is 0 to 10.");
            RuleFor(r => r.Plan.MaxVideoToolsSeconds).InclusiveBetween(0, 86_400).WithMessage("The video-tools limit is 0 (the tools' own) to 86,400 seconds.");
            // Even: H.264 with 4:2:0 chroma needs even frame sides, and a 9:16 frame is derived from it.
            RuleFor(r => r.Plan.VideoToolsMaxSide).Must(side => side == 0 || (side is >= 480 and <= 3840 && side % 2 == 0))
                .WithMessage("The video-tools output side is 0 (the tools' default, 1920) or an even number of pixels from 480 to 3840 (1280 = 720p, 1920 = 1080p).");
            RuleFor(r => r.Plan.Active).Equal(true).When(r => r.Plan.Id == PlanIds.Free).WithMessage("The free plan cannot be switched off.");
            RuleFor(r => r.Plan.SortOrder).GreaterThanOrEqualTo(0).WithMessage("Sort order cannot be negative.");
        });
    }
}
