using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Billing.Persistence.Migrations;

/// <summary>The database itself refuses to change or remove ledger entries: corrections are new entries.</summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261121000003_LedgerAppendOnly")]
internal sealed class LedgerAppendOnly : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE FUNCTION billing.refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'billing.ledger is append-only: record a correcting entry instead';
            END
            $$;
            CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON billing.ledger
                FOR EACH ROW EXECUTE FUNCTION billing.refuse_ledger_change();
            CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON billing.ledger
                FOR EACH STATEMENT EXECUTE FUNCTION billing.refuse_ledger_change();
            """);
    }
}
