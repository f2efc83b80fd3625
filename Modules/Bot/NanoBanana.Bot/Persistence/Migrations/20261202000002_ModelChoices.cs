using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

[DbContext(typeof(BotDbContext))]
[Migration("20261202000002_ModelChoices")]
internal sealed class ModelChoices : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- The option a user last picked on a model's confirmation card; the next card of that model starts with it.
            CREATE TABLE bot.model_choices (
                user_id bigint NOT NULL,
                model_slug text NOT NULL,
                resolution text NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (user_id, model_slug)
            );
            """);
    }
}
