using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Payments.Persistence.Migrations;

/// <summary>
/// Plans paid by card through YooKassa, renewed with a saved payment method on consent (ADR 0152), and the renewal
/// failures Telegram and YooKassa report (ADR 0153). Existing subscriptions are Stars ones (method 1).
/// </summary>
[DbContext(typeof(PaymentsDbContext))]
[Migration("20261207000152_CardPlanPeriods")]
internal sealed class CardPlanPeriods : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE payments.subscriptions
                ADD COLUMN method integer NOT NULL DEFAULT 1,
                ADD COLUMN price_rub_kopecks bigint NOT NULL DEFAULT 0 CHECK (price_rub_kopecks >= 0),
                ADD COLUMN auto_renew boolean NOT NULL DEFAULT false,
                ADD COLUMN payment_method_id text NULL,
                ADD COLUMN renewal_failed boolean NOT NULL DEFAULT false,
                ADD COLUMN failure_reason text NULL,
                ADD COLUMN next_renewal_check_at timestamptz NOT NULL DEFAULT now();
            CREATE INDEX ix_subscriptions_card_renewals ON payments.subscriptions (next_renewal_check_at)
                WHERE method = 2 AND auto_renew AND NOT canceled AND payment_method_id IS NOT NULL;
            CREATE INDEX ix_orders_subscription ON payments.orders (subscription_id) WHERE subscription_id IS NOT NULL;
            """);
    }
}
