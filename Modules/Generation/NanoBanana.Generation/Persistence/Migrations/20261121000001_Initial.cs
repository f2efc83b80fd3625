using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NanoBanana.BuildingBlocks.Messaging;

namespace NanoBanana.Generation.Persistence.Migrations;

[DbContext(typeof(GenerationDbContext))]
[Migration("20261121000001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE SCHEMA IF NOT EXISTS generation;
            CREATE TABLE generation.jobs (
                id uuid PRIMARY KEY,
                user_id bigint NOT NULL,
                client_request_id text NOT NULL,
                kind integer NOT NULL,
                model_slug text NOT NULL,
                engine integer NOT NULL,
                provider_model_id text NOT NULL,
                prompt text NOT NULL,
                aspect_ratio text NOT NULL,
                duration_seconds integer NOT NULL,
                resolution text NOT NULL,
                audio boolean NOT NULL,
                price_credits bigint NOT NULL,
                provider_cost_kopecks bigint NOT NULL,
                hold_id text NOT NULL,
                status integer NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                lease_token uuid NULL,
                lease_until timestamptz NULL,
                next_attempt_at timestamptz NOT NULL,
                submitting_at timestamptz NULL,
                first_submit_at timestamptz NULL,
                operation_id text NULL,
                cancel_requested boolean NOT NULL DEFAULT false,
                failure_class integer NOT NULL DEFAULT 0,
                failure_reason_ru text NULL,
                failure_reason_en text NULL,
                failure_detail text NULL,
                settled boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL,
                started_at timestamptz NULL,
                finished_at timestamptz NULL,
                deadline_at timestamptz NOT NULL,
                CONSTRAINT ux_jobs_client_request UNIQUE (user_id, client_request_id)
            );
            -- The queue: unfinished jobs, and finished ones whose hold is not yet captured/released.
            CREATE INDEX ix_jobs_due ON generation.jobs (next_attempt_at) WHERE status IN (1, 2) OR NOT settled;
            CREATE INDEX ix_jobs_user ON generation.jobs (user_id, created_at DESC, id DESC);
            CREATE INDEX ix_jobs_model_finished ON generation.jobs (model_slug, finished_at DESC) WHERE finished_at IS NOT NULL;

            CREATE TABLE generation.media (
                id uuid PRIMARY KEY,
                job_id uuid NOT NULL REFERENCES generation.jobs (id),
                ordinal integer NOT NULL,
                mime_type text NOT NULL,
                size_bytes bigint NOT NULL,
                width integer NOT NULL,
                height integer NOT NULL,
                duration_seconds integer NOT NULL,
                storage_key text NOT NULL,
                created_at timestamptz NOT NULL,
                CONSTRAINT ux_media_job_ordinal UNIQUE (job_id, ordinal)
            );

            CREATE TABLE generation.job_inputs (
                job_id uuid NOT NULL REFERENCES generation.jobs (id),
                ordinal integer NOT NULL,
                mime_type text NOT NULL,
                width integer NOT NULL,
                height integer NOT NULL,
                size_bytes bigint NOT NULL,
                storage_key text NOT NULL,
                access_token text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL,
                deleted_at timestamptz NULL,
                PRIMARY KEY (job_id, ordinal)
            );

            -- Token buckets for provider submission rate limits shared by all replicas.
            CREATE TABLE generation.provider_budgets (
                engine integer PRIMARY KEY,
                tokens double precision NOT NULL,
                refilled_at timestamptz NOT NULL
            );
            """);
        migrationBuilder.CreateOutboxTable(GenerationDbContext.Schema);
    }
}
