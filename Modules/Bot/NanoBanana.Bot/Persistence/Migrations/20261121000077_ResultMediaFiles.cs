using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

[DbContext(typeof(BotDbContext))]
[Migration("20261121000077_ResultMediaFiles")]
internal sealed class ResultMediaFiles : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- The file_id Telegram gave a generated file once uploaded, per way it was sent (photo, document,
            -- video: a photo's file_id cannot be sent as a document). Re-sends use it instead of uploading.
            CREATE TABLE bot.result_media_files (
                media_id text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('photo', 'document', 'video')),
                job_id text NOT NULL,
                file_id text NOT NULL,
                file_unique_id text NOT NULL,
                file_size bigint,
                stored_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (media_id, kind)
            );
            """);
    }
}
