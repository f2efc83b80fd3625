using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NanoBanana.BuildingBlocks.Messaging;

namespace NanoBanana.Payments.Persistence.Migrations;

[DbContext(typeof(PaymentsDbContext))]
[Migration("20261121000001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE SCHEMA IF NOT EXISTS payments;
            CREATE TABLE payments.orders (
                id uuid PRIMARY KEY,
                user_id bigint NOT NULL,
                package_id text NOT NULL,
                method integer NOT NULL,
                status integer NOT NULL,
                amount_minor bigint NOT NULL CHECK (amount_minor > 0),
                currency text NOT NULL,
                credits bigint NOT NULL,
                bonus_credits bigint NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                provider_payment_id text NULL,
                checkout_url text NULL,
                paid_at timestamptz NULL,
                provider_fee_minor bigint NOT NULL DEFAULT 0,
                tax_minor bigint NOT NULL DEFAULT 0,
                refunded_minor bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
                refunded_credits bigint NOT NULL DEFAULT 0,
                cancelled_at timestamptz NULL,
                next_check_at timestamptz NOT NULL,
                repeat_of uuid NULL REFERENCES payments.orders (id)
            );
            -- One provider payment (YooKassa id, Telegram charge id) can settle at most one order.
            CREATE UNIQUE INDEX ux_orders_provider_payment ON payments.orders (method, provider_payment_id) WHERE provider_payment_id IS NOT NULL;
            CREATE INDEX ix_orders_user ON payments.orders (user_id, created_at DESC);
            CREATE INDEX ix_orders_pending ON payments.orders (next_check_at) WHERE status = 1;
            CREATE INDEX ix_orders_paid ON payments.orders (paid_at) WHERE paid_at IS NOT NULL;

            CREATE TABLE payments.support_requests (
                id uuid PRIMARY KEY,
                user_id bigint NOT NULL,
                text text NOT NULL,
                order_id uuid NULL,
                created_at timestamptz NOT NULL
            );
            CREATE INDEX ix_support_requests_created ON payments.support_requests (created_at DESC);

            CREATE TABLE payments.notifications (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                event text NOT NULL,
                object_id text NOT NULL,
                remote_address text NOT NULL,
                body jsonb NOT NULL,
                received_at timestamptz NOT NULL,
                processed_at timestamptz NULL,
                outcome text NULL
            );
            CREATE INDEX ix_notifications_object ON payments.notifications (object_id);
            """);
        migrationBuilder.CreateOutboxTable("payments");
    }
}
