using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

[DbContext(typeof(BotDbContext))]
[Migration("20261202000001_WaitingJobs")]
internal sealed class WaitingJobs : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- A row without running_since is a waiting job: the ticker refreshes its queue place and time left
            -- (queued_text: what the message shows, so an unchanged place costs no edit).
            ALTER TABLE bot.running_jobs ALTER COLUMN running_since DROP NOT NULL;
            ALTER TABLE bot.running_jobs ADD COLUMN queued_text text NULL;
            """);
    }
}
