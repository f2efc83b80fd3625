using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Billing.Persistence.Migrations;

/// <summary>
/// The plan each subscriber paid for and until when (ADR 0150). No row, or a past expiry, is the free
/// plan: expiry needs no job, and the credits on the account are never touched by it.
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261203000150_UserPlans")]
internal sealed class UserPlans : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE billing.user_plans (
                user_id bigint PRIMARY KEY,
                plan_id text NOT NULL,
                expires_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );
            """);
    }
}
