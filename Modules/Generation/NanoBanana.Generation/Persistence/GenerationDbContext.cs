using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Generation.Assistant;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Persistence;

internal sealed class GenerationDbContext(DbContextOptions<GenerationDbContext> options) : DbContext(options)
{
    public const string Schema = "generation";

    public DbSet<GenerationJob> Jobs => Set<GenerationJob>();

    public DbSet<JobMedia> Media => Set<JobMedia>();

    public DbSet<JobInput> Inputs => Set<JobInput>();

    public DbSet<UnlistedModel> UnlistedModels => Set<UnlistedModel>();

    public DbSet<VideoToolsJob> VideoToolsJobs => Set<VideoToolsJob>();

    public DbSet<UploadedVideo> VideoUploads => Set<UploadedVideo>();

    public DbSet<AssistantTurn> AssistantTurns => Set<AssistantTurn>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<GenerationJob>(job =>
        {
            job.ToTable("jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.Id).HasColumnName("id");
            job.Property(j => j.UserId).HasColumnName("user_id");
            job.Property(j => j.ClientRequestId).HasColumnName("client_request_id");
            job.Property(j => j.Kind).HasColumnName("kind");
            job.Property(j => j.ModelSlug).HasColumnName("model_slug");
            job.Property(j => j.Engine).HasColumnName("engine");
            job.Property(j => j.ProviderModelId).HasColumnName("provider_model_id");
            job.Property(j => j.Prompt).HasColumnName("prompt");
            job.Property(j => j.AspectRatio).HasColumnName("aspect_ratio");
            job.Property(j => j.DurationSeconds).HasColumnName("duration_seconds");
            job.Property(j => j.Resolution).HasColumnName("resolution");
            job.Property(j => j.Audio).HasColumnName("audio");
            job.Property(j => j.ImageCount).HasColumnName("image_count");
            job.Property(j => j.LastFrame).HasColumnName("last_frame");
            job.Property(j => j.TryOnZone).HasColumnName("try_on_zone");
            job.Property(j => j.PriceCredits).HasColumnName("price_credits");
            job.Property(j => j.ChargedCredits).HasColumnName("charged_credits");
            job.Property(j => j.ProviderCostKopecks).HasColumnName("provider_cost_kopecks");
            job.Property(j => j.HoldId).HasColumnName("hold_id");
            job.Property(j => j.Status).HasColumnName("status");
            job.Property(j => j.Attempts).HasColumnName("attempts");
            job.Property(j => j.LeaseToken).HasColumnName("lease_token");
            job.Property(j => j.LeaseUntil).HasColumnName("lease_until");
            job.Property(j => j.NextAttemptAt).HasColumnName("next_attempt_at");
            job.Property(j => j.SubmittingAt).HasColumnName("submitting_at");
            job.Property(j => j.FirstSubmitAt).HasColumnName("first_submit_at");
            job.Property(j => j.OperationId).HasColumnName("operation_id");
            job.Property(j => j.CancelRequested).HasColumnName("cancel_requested");
            job.Property(j => j.ParentJobId).HasColumnName("parent_job_id");
            job.Property(j => j.FailureClass).HasColumnName("failure_class");
            job.Property(j => j.FailureReasonRu).HasColumnName("failure_reason_ru");
            job.Property(j => j.FailureReasonEn).HasColumnName("failure_reason_en");
            job.Property(j => j.FailureDetail).HasColumnName("failure_detail");
            job.Property(j => j.Settled).HasColumnName("settled");
            job.Property(j => j.CreatedAt).HasColumnName("created_at");
            job.Property(j => j.StartedAt).HasColumnName("started_at");
            job.Property(j => j.FinishedAt).HasColumnName("finished_at");
            job.Property(j => j.DeadlineAt).HasColumnName("deadline_at");
            job.HasMany(j => j.Media).WithOne().HasForeignKey(m => m.JobId);
        });
        modelBuilder.Entity<JobMedia>(media =>
        {
            media.ToTable("media");
            media.HasKey(m => m.Id);
            media.Property(m => m.Id).HasColumnName("id");
            media.Property(m => m.JobId).HasColumnName("job_id");
            media.Property(m => m.Ordinal).HasColumnName("ordinal");
            media.Property(m => m.MimeType).HasColumnName("mime_type");
            media.Property(m => m.SizeBytes).HasColumnName("size_bytes");
            media.Property(m => m.Width).HasColumnName("width");
            media.Property(m => m.Height).HasColumnName("height");
            media.Property(m => m.DurationSeconds).HasColumnName("duration_seconds");
            media.Property(m => m.StorageKey).HasColumnName("storage_key");
            media.Property(m => m.CreatedAt).HasColumnName("created_at");
        });
        modelBuilder.Entity<JobInput>(input =>
        {
            input.ToTable("job_inputs");
            input.HasKey(i => new { i.JobId, i.Ordinal });
            input.Property(i => i.JobId).HasColumnName("job_id");
            input.Property(i => i.Ordinal).HasColumnName("ordinal");
            input.Property(i => i.MimeType).HasColumnName("mime_type");
            input.Property(i => i.Width).HasColumnName("width");
            input.Property(i => i.Height).HasColumnName("height");
            input.Property(i => i.SizeBytes).HasColumnName("size_bytes");
            input.Property(i => i.StorageKey).HasColumnName("storage_key");
            input.Property(i => i.AccessToken).HasColumnName("access_token");
            input.Property(i => i.CreatedAt).HasColumnName("created_at");
            input.Property(i => i.DeletedAt).HasColumnName("deleted_at");
            input.HasOne<GenerationJob>().WithMany(j => j.Inputs).HasForeignKey(i => i.JobId);
        });
        modelBuilder.Entity<UnlistedModel>(unlisted =>
        {
            unlisted.ToTable("unlisted_models");
            unlisted.HasKey(u => u.ModelSlug);
            unlisted.Property(u => u.ModelSlug).HasColumnName("model_slug");
            unlisted.Property(u => u.ProviderModelId).HasColumnName("provider_model_id");
            unlisted.Property(u => u.Engine).HasColumnName("engine");
            unlisted.Property(u => u.DetectedAt).HasColumnName("detected_at");
        });
        VideoToolsMapping.Map(modelBuilder);
        modelBuilder.Entity<AssistantTurn>(turn =>
        {
            turn.ToTable("assistant_turns");
            turn.HasKey(t => t.Id);
            turn.Property(t => t.Id).HasColumnName("id");
            turn.Property(t => t.UserId).HasColumnName("user_id");
            turn.Property(t => t.ClientRequestId).HasColumnName("client_request_id");
            turn.Property(t => t.Idea).HasColumnName("idea");
            turn.Property(t => t.WithPhoto).HasColumnName("with_photo");
            turn.Property(t => t.StartsConversation).HasColumnName("starts_conversation");
            turn.Property(t => t.Status).HasColumnName("status");
            turn.Property(t => t.Answer).HasColumnName("answer");
            turn.Property(t => t.Writer).HasColumnName("writer");
            turn.Property(t => t.Model).HasColumnName("model");
            turn.Property(t => t.Attempts).HasColumnName("attempts");
            turn.Property(t => t.PromptTokens).HasColumnName("prompt_tokens");
            turn.Property(t => t.CompletionTokens).HasColumnName("completion_tokens");
            turn.Property(t => t.ProviderCostUsd).HasColumnName("provider_cost_usd");
            turn.Property(t => t.ProviderCostKopecks).HasColumnName("provider_cost_kopecks");
            turn.Property(t => t.PriceCredits).HasColumnName("price_credits");
            turn.Property(t => t.HoldId).HasColumnName("hold_id");
            turn.Property(t => t.CreatedAt).HasColumnName("created_at");
            turn.Property(t => t.FinishedAt).HasColumnName("finished_at");
        });
    }
}
