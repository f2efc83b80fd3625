using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

[DbContext(typeof(BotDbContext))]
[Migration("20261121000074_GenerationResults")]
internal sealed class GenerationResults : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- Integration events handled once (InboxEventHandler). IF NOT EXISTS: another Bot migration may create it too.
            CREATE TABLE IF NOT EXISTS bot.inbox (
                event_id uuid NOT NULL,
                handler text NOT NULL,
                processed_at timestamptz NOT NULL,
                PRIMARY KEY (event_id, handler)
            );

            -- Jobs whose outcome was delivered: a late progress event must not overwrite the final message.
            CREATE TABLE bot.finished_jobs (
                job_id text PRIMARY KEY,
                chat_id bigint NOT NULL,
                succeeded boolean NOT NULL,
                finished_at timestamptz NOT NULL DEFAULT now()
            );
            """);
    }
}
