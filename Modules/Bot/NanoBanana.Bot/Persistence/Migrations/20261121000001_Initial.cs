using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

[DbContext(typeof(BotDbContext))]
[Migration("20261121000001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE SCHEMA IF NOT EXISTS bot;

            -- The update inbox: every update is stored (deduplicated on update_id) before it is acknowledged.
            -- status: 0 pending, 1 processed, 2 parked after repeated failures.
            CREATE TABLE bot.updates (
                update_id bigint PRIMARY KEY,
                chat_id bigint NOT NULL,
                kind text NOT NULL,
                payload jsonb NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now(),
                status smallint NOT NULL DEFAULT 0,
                attempts integer NOT NULL DEFAULT 0,
                processed_at timestamptz NULL,
                last_error text NULL
            );
            CREATE INDEX ix_updates_pending ON bot.updates (update_id) WHERE status = 0;
            CREATE INDEX ix_updates_chat_pending ON bot.updates (chat_id, update_id) WHERE status = 0;

            -- One row per chat: the lock a worker takes to own the chat, and the conversation state.
            CREATE TABLE bot.chats (
                chat_id bigint PRIMARY KEY,
                user_id bigint NOT NULL DEFAULT 0,
                language text NULL,
                language_override text NULL,
                state text NOT NULL DEFAULT '',
                data jsonb NOT NULL DEFAULT '{}',
                -- Set after a failed update: the chat's updates wait (in order) until then.
                retry_at timestamptz NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            );

            -- Outgoing Bot API calls, written in the transaction that decided them.
            -- lane: 'main' keeps a chat's messages in order; an edit of a slot has the slot's own lane.
            CREATE TABLE bot.outbound (
                id bigserial PRIMARY KEY,
                chat_id bigint NOT NULL,
                lane text NOT NULL,
                slot text NULL,
                payload jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                not_before timestamptz NOT NULL DEFAULT now(),
                locked_until timestamptz NULL,
                attempts integer NOT NULL DEFAULT 0,
                sent_at timestamptz NULL,
                failed_at timestamptz NULL,
                last_error text NULL
            );
            CREATE INDEX ix_outbound_pending ON bot.outbound (chat_id, lane, id) WHERE sent_at IS NULL AND failed_at IS NULL;
            CREATE INDEX ix_outbound_due ON bot.outbound (id) WHERE sent_at IS NULL AND failed_at IS NULL;

            -- Messages the bot edits later (progress, album counters): their Telegram message id once sent.
            CREATE TABLE bot.slots (
                chat_id bigint NOT NULL,
                slot text NOT NULL,
                message_id integer NULL,
                last_edit_at timestamptz NULL,
                PRIMARY KEY (chat_id, slot)
            );
            """);
    }
}
