using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Messaging;

namespace NanoBanana.Billing.Persistence;

/// <summary>
/// The billing schema. Ledger tables are read and written with explicit SQL through
/// <see cref="Ledger.BillingTransactions"/> (row locks, one round trip per step); EF maps only the inbox.
/// </summary>
internal sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options)
{
    public const string Schema = "billing";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddInbox();
    }
}
