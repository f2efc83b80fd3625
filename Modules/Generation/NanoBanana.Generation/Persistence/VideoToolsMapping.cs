using Microsoft.EntityFrameworkCore;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Persistence;

/// <summary>Tables of the video tools (ADR 0140): <c>video_tool_jobs</c> beside <c>jobs</c>, and <c>video_uploads</c>.</summary>
internal static class VideoToolsMapping
{
    public static void Map(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<VideoToolsJob>(job =>
        {
            job.ToTable("video_tool_jobs");
            job.HasKey(j => j.JobId);
            job.Property(j => j.JobId).HasColumnName("job_id");
            job.Property(j => j.UploadId).HasColumnName("upload_id");
            job.Property(j => j.SourceKey).HasColumnName("source_key");
            job.Property(j => j.DurationSeconds).HasColumnName("duration_seconds");
            job.Property(j => j.Width).HasColumnName("width");
            job.Property(j => j.Height).HasColumnName("height");
            job.Property(j => j.HasAudio).HasColumnName("has_audio");
            job.Property(j => j.BilledMinutes).HasColumnName("billed_minutes");
            job.Property(j => j.TranslateTo).HasColumnName("translate_to");
            job.Property(j => j.VoiceOver).HasColumnName("voice_over");
            job.Property(j => j.ReplaceAudio).HasColumnName("replace_audio");
            job.Property(j => j.Captions).HasColumnName("captions");
            job.Property(j => j.Reframe).HasColumnName("reframe");
            job.Property(j => j.Watermark).HasColumnName("watermark");
            job.Property(j => j.MaxOutputSide).HasColumnName("max_output_side");
            job.Property(j => j.NextStep).HasColumnName("next_step");
            job.Property(j => j.SourceLanguage).HasColumnName("source_language");
            job.Property(j => j.CreatedAt).HasColumnName("created_at");
            job.Property(j => j.ArtifactsDeletedAt).HasColumnName("artifacts_deleted_at");
            job.HasOne<GenerationJob>().WithOne(g => g.VideoTools).HasForeignKey<VideoToolsJob>(j => j.JobId);
        });
        modelBuilder.Entity<UploadedVideo>(upload =>
        {
            upload.ToTable("video_uploads");
            upload.HasKey(u => u.Id);
            upload.Property(u => u.Id).HasColumnName("id");
            upload.Property(u => u.UserId).HasColumnName("user_id");
            upload.Property(u => u.StorageKey).HasColumnName("storage_key");
            upload.Property(u => u.FileName).HasColumnName("file_name");
            upload.Property(u => u.SizeBytes).HasColumnName("size_bytes");
            upload.Property(u => u.DurationSeconds).HasColumnName("duration_seconds");
            upload.Property(u => u.Width).HasColumnName("width");
            upload.Property(u => u.Height).HasColumnName("height");
            upload.Property(u => u.HasAudio).HasColumnName("has_audio");
            upload.Property(u => u.CreatedAt).HasColumnName("created_at");
            upload.Property(u => u.DeletedAt).HasColumnName("deleted_at");
        });
    }
}
