using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>Video tools (ADR 0140): uploads kept 24 h, and the per-job choice and step beside <c>jobs</c>.</summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261202000140_VideoTools")]
internal sealed class VideoTools : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE generation.video_uploads (
                id uuid PRIMARY KEY,
                user_id bigint NOT NULL,
                storage_key text NOT NULL,
                file_name text NOT NULL,
                size_bytes bigint NOT NULL,
                duration_seconds double precision NOT NULL,
                width integer NOT NULL,
                height integer NOT NULL,
                has_audio boolean NOT NULL,
                created_at timestamptz NOT NULL,
                deleted_at timestamptz NULL
            );
            CREATE INDEX ix_video_uploads_retention ON generation.video_uploads (created_at) WHERE deleted_at IS NULL;

            CREATE TABLE generation.video_tool_jobs (
                job_id uuid PRIMARY KEY REFERENCES generation.jobs (id),
                upload_id uuid NOT NULL,
                source_key text NOT NULL,
                duration_seconds double precision NOT NULL,
                width integer NOT NULL,
                height integer NOT NULL,
                has_audio boolean NOT NULL,
                billed_minutes integer NOT NULL,
                translate_to text NOT NULL,
                voice_over boolean NOT NULL,
                captions integer NOT NULL,
                reframe integer NOT NULL,
                watermark boolean NOT NULL,
                next_step integer NOT NULL,
                source_language text NOT NULL DEFAULT '',
                created_at timestamptz NOT NULL,
                artifacts_deleted_at timestamptz NULL
            );
            CREATE INDEX ix_video_tool_jobs_retention ON generation.video_tool_jobs (created_at) WHERE artifacts_deleted_at IS NULL;
            """);
    }
}
