using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Billing.Persistence.Migrations;

/// <summary>
/// Credits that expire (ADR 0161): a plan period without rollover and the free plan's monthly allowance. A grant's
/// <c>remaining</c> credits are part of the account's available credits (never more than them); a hold takes from
/// grants first and records what it took, so a release gives those credits back to their grant.
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261207000162_CreditGrants")]
internal sealed class CreditGrants : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE billing.credit_grants (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id bigint NOT NULL,
                kind text NOT NULL CHECK (kind IN ('plan', 'allowance')),
                granted bigint NOT NULL CHECK (granted > 0),
                remaining bigint NOT NULL CHECK (remaining BETWEEN 0 AND granted),
                expires_at timestamptz NOT NULL,
                -- Set once, by the sweep that expired what was left.
                expired_at timestamptz NULL,
                -- The ledger key of the credit that made the grant.
                credit_key text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL
            );
            CREATE INDEX ix_credit_grants_user_live ON billing.credit_grants (user_id, expires_at) WHERE expired_at IS NULL;
            CREATE INDEX ix_credit_grants_due ON billing.credit_grants (expires_at) WHERE expired_at IS NULL;
            CREATE TABLE billing.hold_grants (
                hold_id uuid NOT NULL,
                grant_id bigint NOT NULL REFERENCES billing.credit_grants (id),
                amount bigint NOT NULL CHECK (amount > 0),
                PRIMARY KEY (hold_id, grant_id)
            );
            """);
    }
}
