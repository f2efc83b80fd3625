using System.Globalization;
using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>Support tools: find users by exact Telegram id or by username prefix (case-insensitive).</summary>
internal sealed class SearchUsers(UsersDbContext db) : IUseCaseHandler<SearchUsersRequest, SearchUsersResponse>
{
    private const int DefaultLimit = 20;

    public async Task<Result<SearchUsersResponse>> Handle(SearchUsersRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query.Trim();
        var limit = request.Limit == 0 ? DefaultLimit : request.Limit;
        var users = long.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await db.Users.AsNoTracking().Where(u => u.Id == id).ToListAsync(cancellationToken)
            : await db.Users.AsNoTracking()
                // Served by ix_users_username_prefix (lower(username) text_pattern_ops); the prefix is escaped for LIKE.
#pragma warning disable CA1304, CA1311 // Translated to SQL lower(); it never runs in .NET.
                .Where(u => u.Username != null && EF.Functions.Like(u.Username.ToLower(), EscapeLike(query.TrimStart('@').ToLowerInvariant()) + "%", "\\"))
#pragma warning restore CA1304, CA1311
                .OrderBy(u => u.Username)
                .Take(limit)
                .ToListAsync(cancellationToken);
        return new SearchUsersResponse { Users = { users.Select(u => u.Adapt<Contracts.V1.User>()) } };
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

internal sealed class SearchUsersValidator : AbstractValidator<SearchUsersRequest>
{
    public SearchUsersValidator()
    {
        RuleFor(r => r.Query).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Limit).InclusiveBetween(0, 100);
    }
}
