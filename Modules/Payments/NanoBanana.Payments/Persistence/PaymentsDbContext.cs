using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Payments.Domain;

namespace NanoBanana.Payments.Persistence;

internal sealed class PaymentsDbContext(DbContextOptions<PaymentsDbContext> options) : DbContext(options)
{
    public const string Schema = "payments";

    public DbSet<TopUpOrder> Orders => Set<TopUpOrder>();

    public DbSet<SupportRequest> SupportRequests => Set<SupportRequest>();

    public DbSet<PlanSubscription> Subscriptions => Set<PlanSubscription>();

    public DbSet<ProviderNotification> Notifications => Set<ProviderNotification>();

    /// <summary>The order, locked FOR UPDATE until the current transaction ends (serialises settlement across replicas).</summary>
    public Task<TopUpOrder?> LockOrderAsync(Guid id, CancellationToken cancellationToken) =>
        Orders.FromSql($"SELECT * FROM payments.orders WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    /// <summary>The subscription, locked FOR UPDATE until the current transaction ends (serialises its periods).</summary>
    public Task<PlanSubscription?> LockSubscriptionAsync(Guid id, CancellationToken cancellationToken) =>
        Subscriptions.FromSql($"SELECT * FROM payments.subscriptions WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<TopUpOrder>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.Id);
            order.Property(o => o.Id).HasColumnName("id");
            order.Property(o => o.UserId).HasColumnName("user_id");
            order.Property(o => o.PackageId).HasColumnName("package_id");
            order.Property(o => o.Method).HasColumnName("method");
            order.Property(o => o.Status).HasColumnName("status");
            order.Property(o => o.AmountMinor).HasColumnName("amount_minor");
            order.Property(o => o.Currency).HasColumnName("currency");
            order.Property(o => o.Credits).HasColumnName("credits");
            order.Property(o => o.BonusCredits).HasColumnName("bonus_credits");
            order.Property(o => o.CreatedAt).HasColumnName("created_at");
            order.Property(o => o.ExpiresAt).HasColumnName("expires_at");
            order.Property(o => o.ProviderPaymentId).HasColumnName("provider_payment_id");
            order.Property(o => o.CheckoutUrl).HasColumnName("checkout_url");
            order.Property(o => o.PaidAt).HasColumnName("paid_at");
            order.Property(o => o.ProviderFeeMinor).HasColumnName("provider_fee_minor");
            order.Property(o => o.TaxMinor).HasColumnName("tax_minor");
            order.Property(o => o.RefundedMinor).HasColumnName("refunded_minor");
            order.Property(o => o.RefundedCredits).HasColumnName("refunded_credits");
            order.Property(o => o.CancelledAt).HasColumnName("cancelled_at");
            order.Property(o => o.NextCheckAt).HasColumnName("next_check_at");
            order.Property(o => o.RepeatOf).HasColumnName("repeat_of");
            order.Property(o => o.SubscriptionId).HasColumnName("subscription_id");
            order.Property(o => o.PeriodEndsAt).HasColumnName("period_ends_at");
            order.Ignore(o => o.NetMinor);
            order.Ignore(o => o.TotalCredits);
            order.Ignore(o => o.IsFinal);
            order.Ignore(o => o.IsPaid);
        });
        modelBuilder.Entity<PlanSubscription>(subscription =>
        {
            subscription.ToTable("subscriptions");
            subscription.HasKey(s => s.Id);
            subscription.Property(s => s.Id).HasColumnName("id");
            subscription.Property(s => s.UserId).HasColumnName("user_id");
            subscription.Property(s => s.PlanId).HasColumnName("plan_id");
            subscription.Property(s => s.Status).HasColumnName("status");
            subscription.Property(s => s.PriceStars).HasColumnName("price_stars");
            subscription.Property(s => s.CreditsPerPeriod).HasColumnName("credits_per_period");
            subscription.Property(s => s.ExpiresAt).HasColumnName("expires_at");
            subscription.Property(s => s.ChargeId).HasColumnName("charge_id");
            subscription.Property(s => s.Canceled).HasColumnName("canceled");
            subscription.Property(s => s.PeriodsPaid).HasColumnName("periods_paid");
            subscription.Property(s => s.Method).HasColumnName("method");
            subscription.Property(s => s.PriceRubKopecks).HasColumnName("price_rub_kopecks");
            subscription.Property(s => s.AutoRenew).HasColumnName("auto_renew");
            subscription.Property(s => s.PaymentMethodId).HasColumnName("payment_method_id");
            subscription.Property(s => s.RenewalFailed).HasColumnName("renewal_failed");
            subscription.Property(s => s.FailureReason).HasColumnName("failure_reason");
            subscription.Property(s => s.NextRenewalCheckAt).HasColumnName("next_renewal_check_at");
            subscription.Property(s => s.CreatedAt).HasColumnName("created_at");
            subscription.Property(s => s.UpdatedAt).HasColumnName("updated_at");
            subscription.Ignore(s => s.Payload);
            subscription.Ignore(s => s.CanResume);
        });
        modelBuilder.Entity<SupportRequest>(request =>
        {
            request.ToTable("support_requests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Id).HasColumnName("id");
            request.Property(r => r.UserId).HasColumnName("user_id");
            request.Property(r => r.Text).HasColumnName("text");
            request.Property(r => r.OrderId).HasColumnName("order_id");
            request.Property(r => r.CreatedAt).HasColumnName("created_at");
        });
        modelBuilder.Entity<ProviderNotification>(notification =>
        {
            notification.ToTable("notifications");
            notification.HasKey(n => n.Id);
            notification.Property(n => n.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            notification.Property(n => n.Event).HasColumnName("event");
            notification.Property(n => n.ObjectId).HasColumnName("object_id");
            notification.Property(n => n.RemoteAddress).HasColumnName("remote_address");
            notification.Property(n => n.Body).HasColumnName("body").HasColumnType("jsonb");
            notification.Property(n => n.ReceivedAt).HasColumnName("received_at");
            notification.Property(n => n.ProcessedAt).HasColumnName("processed_at");
            notification.Property(n => n.Outcome).HasColumnName("outcome");
        });
    }
}
