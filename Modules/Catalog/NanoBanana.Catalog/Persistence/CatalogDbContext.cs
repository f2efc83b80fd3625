using Microsoft.EntityFrameworkCore;
using NanoBanana.Catalog.Domain;

namespace NanoBanana.Catalog.Persistence;

internal sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public const string Schema = "catalog";

    public DbSet<AiModel> Models => Set<AiModel>();

    public DbSet<TopUpPackage> Packages => Set<TopUpPackage>();

    public DbSet<VideoToolPrice> VideoToolPrices => Set<VideoToolPrice>();

    public DbSet<AssistantPrice> AssistantPrices => Set<AssistantPrice>();

    public DbSet<SubscriptionPlan> Plans => Set<SubscriptionPlan>();

    public DbSet<TryOnOffer> TryOnOffers => Set<TryOnOffer>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<AiModel>(model =>
        {
            model.ToTable("models");
            model.HasKey(m => m.Slug);
            model.Property(m => m.Slug).HasColumnName("slug");
            model.Property(m => m.NameRu).HasColumnName("name_ru");
            model.Property(m => m.NameEn).HasColumnName("name_en");
            model.Property(m => m.DescriptionRu).HasColumnName("description_ru");
            model.Property(m => m.DescriptionEn).HasColumnName("description_en");
            model.Property(m => m.Kind).HasColumnName("kind");
            model.Property(m => m.Provider).HasColumnName("provider");
            model.Property(m => m.ProviderModelId).HasColumnName("provider_model_id");
            model.Property(m => m.PriceCredits).HasColumnName("price_credits");
            model.Property(m => m.ProviderCostKopecks).HasColumnName("provider_cost_kopecks");
            model.Property(m => m.Active).HasColumnName("active");
            model.Property(m => m.ProviderUnlisted).HasColumnName("provider_unlisted");
            model.Property(m => m.SortOrder).HasColumnName("sort_order");
            model.Property(m => m.UpdatedAt).HasColumnName("updated_at");
            model.OwnsMany(m => m.DurationPrices, prices => prices.ToJson("duration_prices"));
            model.OwnsMany(m => m.ResolutionPrices, prices => prices.ToJson("resolution_prices"));
            model.OwnsOne(m => m.Capabilities, capabilities => capabilities.ToJson("capabilities"));
        });
        modelBuilder.Entity<TopUpPackage>(package =>
        {
            package.ToTable("packages");
            package.HasKey(p => p.Id);
            package.Property(p => p.Id).HasColumnName("id");
            package.Property(p => p.TitleRu).HasColumnName("title_ru");
            package.Property(p => p.TitleEn).HasColumnName("title_en");
            package.Property(p => p.Credits).HasColumnName("credits");
            package.Property(p => p.BonusCredits).HasColumnName("bonus_credits");
            package.Property(p => p.PriceRubKopecks).HasColumnName("price_rub_kopecks");
            package.Property(p => p.PriceStars).HasColumnName("price_stars");
            package.Property(p => p.Active).HasColumnName("active");
            package.Property(p => p.SortOrder).HasColumnName("sort_order");
            package.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        });
        modelBuilder.Entity<SubscriptionPlan>(plan =>
        {
            plan.ToTable("plans");
            plan.HasKey(p => p.Id);
            plan.Property(p => p.Id).HasColumnName("id");
            plan.Property(p => p.TitleRu).HasColumnName("title_ru");
            plan.Property(p => p.TitleEn).HasColumnName("title_en");
            plan.Property(p => p.PriceStars).HasColumnName("price_stars");
            plan.Property(p => p.PriceRubKopecks).HasColumnName("price_rub_kopecks");
            plan.Property(p => p.MonthlyCredits).HasColumnName("monthly_credits");
            plan.Property(p => p.CreditsRollover).HasColumnName("credits_rollover");
            plan.Property(p => p.DailyJobLimit).HasColumnName("daily_job_limit");
            plan.Property(p => p.Watermark).HasColumnName("watermark");
            plan.Property(p => p.QueuePriority).HasColumnName("queue_priority");
            plan.Property(p => p.MaxVideoToolsSeconds).HasColumnName("max_video_tools_seconds");
            plan.Property(p => p.VideoToolsMaxSide).HasColumnName("video_tools_max_side");
            plan.Property(p => p.Active).HasColumnName("active");
            plan.Property(p => p.SortOrder).HasColumnName("sort_order");
            plan.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        });
        modelBuilder.Entity<VideoToolPrice>(price =>
        {
            price.ToTable("video_tool_prices");
            price.HasKey(p => p.Tool);
            price.Property(p => p.Tool).HasColumnName("tool").ValueGeneratedNever();
            price.Property(p => p.CreditsPerMinute).HasColumnName("credits_per_minute");
            price.Property(p => p.ProviderCostKopecksPerMinute).HasColumnName("provider_cost_kopecks_per_minute");
            price.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        });
        modelBuilder.Entity<TryOnOffer>(offer =>
        {
            offer.ToTable("try_on_offer");
            offer.HasKey(o => o.Id);
            offer.Property(o => o.Id).HasColumnName("id").ValueGeneratedNever();
            offer.Property(o => o.Enabled).HasColumnName("enabled");
            offer.Property(o => o.PriceCredits).HasColumnName("price_credits");
            offer.Property(o => o.ProviderCostKopecks).HasColumnName("provider_cost_kopecks");
            offer.Property(o => o.ModelSlug).HasColumnName("model_slug");
            offer.Property(o => o.UpdatedAt).HasColumnName("updated_at");
        });
        modelBuilder.Entity<AssistantPrice>(price =>
        {
            price.ToTable("assistant_prices");
            price.HasKey(p => p.Feature);
            price.Property(p => p.Feature).HasColumnName("feature");
            price.Property(p => p.CreditsPerRequest).HasColumnName("credits_per_request");
            price.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        });
    }
}
