using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>The prompt assistant's requests and answers with their usage and cost (ADR 0170).</summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261207000172_AssistantTurns")]
internal sealed class AssistantTurns : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            CREATE TABLE generation.assistant_turns (
                id uuid PRIMARY KEY,
                user_id bigint NOT NULL,
                client_request_id text NOT NULL,
                idea text NOT NULL,
                with_photo boolean NOT NULL,
                starts_conversation boolean NOT NULL,
                status integer NOT NULL,
                answer text,
                writer text NOT NULL,
                model text NOT NULL,
                attempts integer NOT NULL,
                prompt_tokens integer NOT NULL,
                completion_tokens integer NOT NULL,
                provider_cost_usd numeric(14, 8) NOT NULL,
                provider_cost_kopecks bigint NOT NULL,
                price_credits bigint NOT NULL,
                hold_id text NOT NULL,
                created_at timestamptz NOT NULL,
                finished_at timestamptz
            );
            CREATE INDEX assistant_turns_user_created ON generation.assistant_turns (user_id, created_at DESC);
            CREATE INDEX assistant_turns_created ON generation.assistant_turns (created_at);
            """);
}
