using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

[DbContext(typeof(BotDbContext))]
[Migration("20261121000125_ChatLeases")]
internal sealed class ChatLeases : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- An inbox worker owns a chat by a lease instead of a row lock held over the whole step: the step
            -- calls other modules and the Bot API (photo downloads) with no transaction open. lease_id fences
            -- the step's save: a worker whose lease ran out and was taken over saves nothing.
            ALTER TABLE bot.chats ADD COLUMN leased_until timestamptz NULL, ADD COLUMN lease_id uuid NULL;
            """);
    }
}
