using Google.Protobuf.WellKnownTypes;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;

namespace NanoBanana.Billing.Domain;

/// <summary>Reading promo codes from billing.promo_codes.</summary>
internal static class PromoCodes
{
    public const string Columns = "code, kind, credits, percent, valid_from, valid_until, max_redemptions, per_user_limit, active, redemptions, created_at";

    /// <summary>Codes are stored upper-case and matched case-insensitively.</summary>
    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    public static async Task<List<PromoCode>> QueryAsync(this LedgerSession session, string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = session.Command($"SELECT {Columns} FROM billing.promo_codes {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var codes = new List<PromoCode>();
        while (await reader.ReadAsync(cancellationToken))
        {
            codes.Add(new PromoCode
            {
                Code = reader.GetString(0),
                Kind = (PromoKind)reader.GetInt32(1),
                Credits = reader.GetInt64(2),
                Percent = reader.GetInt32(3),
                ValidFrom = reader.IsDBNull(4) ? null : Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(4)),
                ValidUntil = reader.IsDBNull(5) ? null : Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(5)),
                MaxRedemptions = reader.GetInt32(6),
                PerUserLimit = reader.GetInt32(7),
                Active = reader.GetBoolean(8),
                Redemptions = reader.GetInt32(9),
                CreatedAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(10)),
            });
        }

        return codes;
    }
}
