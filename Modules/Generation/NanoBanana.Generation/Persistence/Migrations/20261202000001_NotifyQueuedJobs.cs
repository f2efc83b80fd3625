using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>
/// A committed new job notifies <c>generation_jobs</c>, which wakes an idle worker in every Host process
/// (ADR 0122) instead of leaving other replicas to find it at their next poll. The queued jobs get an index
/// for the queue position every enqueue reports (a count of older queued jobs, not a scan of all jobs ever).
/// </summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261202000001_NotifyQueuedJobs")]
internal sealed class NotifyQueuedJobs : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE FUNCTION generation.notify_queued() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('generation_jobs', '');
                RETURN NULL;
            END $$;
            CREATE TRIGGER jobs_queued AFTER INSERT ON generation.jobs
                FOR EACH STATEMENT EXECUTE FUNCTION generation.notify_queued();
            CREATE INDEX ix_jobs_queued ON generation.jobs (created_at) WHERE status = 1;
            """);
    }
}
