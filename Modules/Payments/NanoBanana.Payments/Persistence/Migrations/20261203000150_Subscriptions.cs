using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Payments.Persistence.Migrations;

/// <summary>Stars subscriptions to plans (ADR 0150); each paid period is an order pointing at its subscription.</summary>
[DbContext(typeof(PaymentsDbContext))]
[Migration("20261203000150_Subscriptions")]
internal sealed class Subscriptions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE payments.subscriptions (
                id uuid PRIMARY KEY,
                user_id bigint NOT NULL,
                plan_id text NOT NULL,
                status integer NOT NULL,
                price_stars bigint NOT NULL CHECK (price_stars > 0),
                credits_per_period bigint NOT NULL CHECK (credits_per_period >= 0),
                expires_at timestamptz NULL,
                charge_id text NULL,
                canceled boolean NOT NULL DEFAULT false,
                periods_paid integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX ix_subscriptions_user ON payments.subscriptions (user_id, expires_at DESC);
            ALTER TABLE payments.orders
                ADD COLUMN subscription_id uuid NULL REFERENCES payments.subscriptions (id),
                ADD COLUMN period_ends_at timestamptz NULL;
            """);
    }
}
