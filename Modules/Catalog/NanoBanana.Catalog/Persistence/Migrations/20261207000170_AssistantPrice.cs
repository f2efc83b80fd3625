using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>The prompt assistant's price per request (ADR 0170), seeded at 1 credit; an operator's price survives.</summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261207000170_AssistantPrice")]
internal sealed class AssistantPrice : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            CREATE TABLE catalog.assistant_prices (
                feature text PRIMARY KEY,
                credits_per_request bigint NOT NULL CHECK (credits_per_request >= 0),
                updated_at timestamptz NOT NULL
            );
            INSERT INTO catalog.assistant_prices (feature, credits_per_request, updated_at) VALUES ('prompt_assistant', 1, now())
            ON CONFLICT DO NOTHING;
            """);
}
