using System.Globalization;
using System.Text;
using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Persistence;

namespace NanoBanana.Generation.Jobs;

/// <summary>A user's jobs, newest first, with an opaque keyset cursor (created_at, id) so pages never shift.</summary>
internal sealed class JobHistory(GenerationDbContext db, TimeProvider clock)
{
    public const int DefaultPageSize = 20;

    public const int MaxPageSize = 50;

    public async Task<Result<(List<Job> Jobs, string NextCursor)>> PageAsync(long userId, int pageSize, string cursor, CancellationToken cancellationToken)
    {
        var size = pageSize == 0 ? DefaultPageSize : pageSize;
        var query = db.Jobs.AsNoTracking().Include(j => j.VideoTools).Include(j => j.Media).Where(j => j.UserId == userId);
        if (cursor.Length > 0)
        {
            if (!TryDecode(cursor, out var createdAt, out var id))
            {
                return Result<(List<Job>, string)>.Invalid(new ValidationError("cursor", "The cursor is not one this service issued."));
            }

            query = query.Where(j => j.CreatedAt < createdAt || (j.CreatedAt == createdAt && j.Id.CompareTo(id) < 0));
        }

        var rows = await query.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(size + 1).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var next = rows.Count > size ? Encode(rows[size - 1].CreatedAt, rows[size - 1].Id) : string.Empty;
        return (rows.Take(size).Select(j => JobMapping.AdaptToJob(j, now)).ToList(), next);
    }

    private static string Encode(DateTimeOffset createdAt, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{id:N}"));

    private static bool TryDecode(string cursor, out DateTimeOffset createdAt, out Guid id)
    {
        createdAt = default;
        id = default;
        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(cursor)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) && Guid.TryParseExact(parts[1], "N", out id)
                && ticks > 0 && ticks < DateTimeOffset.MaxValue.UtcTicks)
            {
                createdAt = new DateTimeOffset(ticks, TimeSpan.Zero);
                return true;
            }
        }
        catch (FormatException)
        {
            // Falls through to "not ours".
        }

        return false;
    }
}
