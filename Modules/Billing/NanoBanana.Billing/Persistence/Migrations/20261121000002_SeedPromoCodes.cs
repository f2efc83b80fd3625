using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Billing.Persistence.Migrations;

/// <summary>The launch codes: WELCOME2025 (+10 credits) and FIRST50 (+50 % on the first top-up).</summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261121000002_SeedPromoCodes")]
internal sealed class SeedPromoCodes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            INSERT INTO billing.promo_codes (code, kind, credits, percent, valid_from, valid_until, max_redemptions, per_user_limit, active, redemptions, created_at)
            VALUES ('WELCOME2025', 1, 10, 0, NULL, NULL, 0, 1, true, 0, now()),
                   ('FIRST50', 2, 0, 50, NULL, NULL, 0, 1, true, 0, now())
            ON CONFLICT (code) DO NOTHING;
            """);
    }
}
