using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NanoBanana.BuildingBlocks.Messaging;

namespace NanoBanana.Billing.Persistence.Migrations;

[DbContext(typeof(BillingDbContext))]
[Migration("20261121000001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE SCHEMA IF NOT EXISTS billing;
            CREATE TABLE billing.accounts (
                user_id bigint PRIMARY KEY,
                available bigint NOT NULL CHECK (available >= 0),
                reserved bigint NOT NULL CHECK (reserved >= 0),
                version bigint NOT NULL,
                updated_at timestamptz NOT NULL
            );
            -- Append-only: every balance change, with the balance after it.
            CREATE TABLE billing.ledger (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id bigint NOT NULL,
                kind integer NOT NULL,
                amount bigint NOT NULL,
                available_after bigint NOT NULL CHECK (available_after >= 0),
                reserved_after bigint NOT NULL CHECK (reserved_after >= 0),
                hold_id uuid NULL,
                reference text NOT NULL,
                idempotency_key text NOT NULL UNIQUE,
                actor text NOT NULL,
                created_at timestamptz NOT NULL
            );
            CREATE INDEX ix_ledger_user ON billing.ledger (user_id, id DESC);
            CREATE TABLE billing.holds (
                id uuid PRIMARY KEY,
                user_id bigint NOT NULL,
                amount bigint NOT NULL CHECK (amount > 0),
                status text NOT NULL CHECK (status IN ('open', 'captured', 'released', 'expired')),
                expires_at timestamptz NOT NULL,
                purpose text NOT NULL,
                reference text NOT NULL,
                idempotency_key text NOT NULL UNIQUE,
                close_reason text NULL,
                created_at timestamptz NOT NULL,
                closed_at timestamptz NULL
            );
            CREATE INDEX ix_holds_open_expiry ON billing.holds (expires_at) WHERE status = 'open';
            CREATE INDEX ix_holds_user_open ON billing.holds (user_id) WHERE status = 'open';
            -- The first response of every keyed call; a repeat returns it, other arguments are a conflict.
            CREATE TABLE billing.idempotency (
                key text PRIMARY KEY,
                fingerprint text NOT NULL,
                response bytea NOT NULL,
                created_at timestamptz NOT NULL
            );
            CREATE TABLE billing.referrals (
                user_id bigint PRIMARY KEY,
                referrer_id bigint NOT NULL,
                registered_at timestamptz NOT NULL
            );
            CREATE INDEX ix_referrals_referrer ON billing.referrals (referrer_id);
            CREATE TABLE billing.promo_codes (
                code text PRIMARY KEY,
                kind integer NOT NULL,
                credits bigint NOT NULL,
                percent integer NOT NULL,
                valid_from timestamptz NULL,
                valid_until timestamptz NULL,
                max_redemptions integer NOT NULL,
                per_user_limit integer NOT NULL,
                active boolean NOT NULL,
                redemptions integer NOT NULL,
                created_at timestamptz NOT NULL
            );
            CREATE TABLE billing.promo_redemptions (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                code text NOT NULL REFERENCES billing.promo_codes (code),
                user_id bigint NOT NULL,
                redeemed_at timestamptz NOT NULL,
                -- Percentage codes: when the first top-up's extra was credited.
                applied_at timestamptz NULL
            );
            CREATE INDEX ix_promo_redemptions_user ON billing.promo_redemptions (user_id, code);
            CREATE TABLE billing.daily_rewards (
                user_id bigint PRIMARY KEY,
                last_claim_date date NOT NULL,
                streak integer NOT NULL
            );
            """);
        migrationBuilder.CreateInboxTable(BillingDbContext.Schema);
    }
}
