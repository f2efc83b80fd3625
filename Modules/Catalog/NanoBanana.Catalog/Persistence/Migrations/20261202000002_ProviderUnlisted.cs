using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>The flag Generation's provider-model check sets when a provider stops listing a model's id (ADR 0130).</summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261202000002_ProviderUnlisted")]
internal sealed class ProviderUnlisted : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE catalog.models ADD COLUMN provider_unlisted boolean NOT NULL DEFAULT false;");
}
