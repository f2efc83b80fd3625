using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.Bot.Persistence;

/// <summary>
/// Owns the <c>bot</c> schema and its migrations. The hot paths (ingest, update workers' chat claims, the reply sender)
/// use plain SQL on <see cref="SqlSession"/> because they rely on <c>SKIP LOCKED</c> and single-statement upserts.
/// </summary>
internal sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    public const string Schema = "bot";

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.HasDefaultSchema(Schema).AddInbox();
}
