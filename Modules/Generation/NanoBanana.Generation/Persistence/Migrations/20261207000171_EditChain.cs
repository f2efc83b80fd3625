using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>✏️ Edit: a job may name the earlier job whose result it edits (ADR 0171).</summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261207000171_EditChain")]
internal sealed class EditChain : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE generation.jobs ADD COLUMN parent_job_id uuid REFERENCES generation.jobs (id);
            CREATE INDEX jobs_parent_job_id ON generation.jobs (parent_job_id) WHERE parent_job_id IS NOT NULL;
            """);
}
