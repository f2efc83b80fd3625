using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

[DbContext(typeof(BotDbContext))]
[Migration("20261121000078_Broadcasts")]
internal sealed class Broadcasts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- Set when the user blocks the bot (my_chat_member "kicked", or a 403 on a send); cleared when they unblock.
            ALTER TABLE bot.chats ADD COLUMN blocked_at timestamptz NULL;

            -- An admin's /broadcast once confirmed. (admin_chat_id, draft) is the confirmed draft: a second
            -- confirm of the same draft, or the same update retried, creates nothing.
            CREATE TABLE bot.broadcasts (
                id bigserial PRIMARY KEY,
                admin_chat_id bigint NOT NULL,
                draft integer NOT NULL,
                language text NOT NULL,
                payload jsonb NOT NULL,
                -- Chats are queued in chat_id order; the last one queued so far.
                cursor_chat_id bigint NOT NULL DEFAULT 0,
                queued integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL DEFAULT now(),
                queued_all_at timestamptz NULL,
                reported_at timestamptz NULL,
                UNIQUE (admin_chat_id, draft)
            );
            CREATE INDEX ix_broadcasts_open ON bot.broadcasts (id) WHERE reported_at IS NULL;

            ALTER TABLE bot.outbound ADD COLUMN broadcast_id bigint NULL REFERENCES bot.broadcasts (id);
            CREATE INDEX ix_outbound_broadcast ON bot.outbound (broadcast_id) WHERE broadcast_id IS NOT NULL;
            """);
    }
}
