using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>The voice-over either mixes over the original sound (every job so far) or replaces it (ADR 0141).</summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261203000141_ReplaceAudio")]
internal sealed class ReplaceAudio : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE generation.video_tool_jobs ADD COLUMN replace_audio boolean NOT NULL DEFAULT false;");
}
