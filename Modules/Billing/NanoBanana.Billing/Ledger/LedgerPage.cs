using Google.Protobuf.WellKnownTypes;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;

namespace NanoBanana.Billing.Ledger;

/// <summary>One page of a user's ledger, newest first, keyed by entry id.</summary>
internal static class LedgerPage
{
    public static async Task<(List<LedgerEntry> Entries, string NextPageToken)> ReadAsync(
        this LedgerSession session, long userId, string pageToken, int pageSize, string language, CancellationToken cancellationToken)
    {
        var size = PageToken.Size(pageSize);
        await using var command = session.Command(
            """
            SELECT id, kind, amount, available_after, reserved_after, hold_id, reference, idempotency_key, actor, created_at
            FROM billing.ledger WHERE user_id = @user AND id < @before ORDER BY id DESC LIMIT @limit
            """,
            ("user", userId),
            ("before", PageToken.Before(pageToken)),
            ("limit", size + 1));
        var entries = new List<LedgerEntry>(size + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var kind = (EntryKind)reader.GetInt32(1);
                entries.Add(new LedgerEntry
                {
                    Id = reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Kind = kind,
                    Amount = reader.GetInt64(2),
                    AvailableAfter = reader.GetInt64(3),
                    ReservedAfter = reader.GetInt64(4),
                    HoldId = reader.IsDBNull(5) ? string.Empty : reader.GetGuid(5).ToString(),
                    Reference = reader.GetString(6),
                    IdempotencyKey = reader.GetString(7),
                    Actor = reader.GetString(8),
                    Description = Texts.Describe(kind, language),
                    CreatedAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(9)),
                });
            }
        }

        if (entries.Count <= size)
        {
            return (entries, string.Empty);
        }

        entries.RemoveAt(size);
        return (entries, PageToken.Next(long.Parse(entries[^1].Id, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
