using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// Every committed change of the catalog notifies <c>catalog_changed</c> (ADR 0121): a statement trigger, so
/// any writer (a use case, a migration, an operator's SQL) is covered, and the notification leaves with the
/// commit. PostgreSQL folds the notifications of one transaction into one.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261202000002_NotifyChanges")]
internal sealed class NotifyChanges : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE FUNCTION catalog.notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('catalog_changed', TG_TABLE_NAME);
                RETURN NULL;
            END $$;
            CREATE TRIGGER models_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog.models
                FOR EACH STATEMENT EXECUTE FUNCTION catalog.notify_changed();
            CREATE TRIGGER packages_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog.packages
                FOR EACH STATEMENT EXECUTE FUNCTION catalog.notify_changed();
            """);
    }
}
