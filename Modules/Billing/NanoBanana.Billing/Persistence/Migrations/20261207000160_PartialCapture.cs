using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Billing.Persistence.Migrations;

/// <summary>
/// A capture may spend part of a hold and give the rest back (ADR 0160); the hold keeps what was spent. Holds
/// captured before this were captured whole.
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261207000160_PartialCapture")]
internal sealed class PartialCapture : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE billing.holds ADD COLUMN captured bigint NULL;
            UPDATE billing.holds SET captured = amount WHERE status = 'captured';
            ALTER TABLE billing.holds ADD CONSTRAINT ck_holds_captured
                CHECK ((status = 'captured') = (captured IS NOT NULL) AND (captured IS NULL OR captured BETWEEN 0 AND amount));
            """);
    }
}
