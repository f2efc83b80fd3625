using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

[DbContext(typeof(BotDbContext))]
[Migration("20261121000075_ProgressTicks")]
internal sealed class ProgressTicks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- Running jobs whose progress message shows the elapsed time; the ticker edits it until the outcome removes the row.
            CREATE TABLE bot.running_jobs (
                job_id text PRIMARY KEY,
                chat_id bigint NOT NULL,
                running_since timestamptz NOT NULL,
                next_tick_at timestamptz NOT NULL
            );
            CREATE INDEX running_jobs_next_tick ON bot.running_jobs (next_tick_at);
            """);
    }
}
