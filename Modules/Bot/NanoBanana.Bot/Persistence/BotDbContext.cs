using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Messaging;

namespace NanoBanana.Bot.Persistence;

/// <summary>
/// Owns the <c>bot</c> schema and its migrations. The hot paths (ingest, inbox claims, the sender)
/// use plain SQL on <see cref="BotDatabase"/> because they rely on <c>SKIP LOCKED</c> and single-statement upserts.
/// </summary>
internal sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    public const string Schema = "bot";

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.HasDefaultSchema(Schema).AddInbox();
}
