using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Bot.Persistence.Migrations;

/// <summary>ADR 0132: the number of images a user last picked for a model (Imagen), remembered like its size.</summary>
[DbContext(typeof(BotDbContext))]
[Migration("20261203000132_ImageCountChoice")]
internal sealed class ImageCountChoice : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE bot.model_choices
                ADD COLUMN image_count integer,
                ALTER COLUMN resolution DROP NOT NULL;
            """);
}
