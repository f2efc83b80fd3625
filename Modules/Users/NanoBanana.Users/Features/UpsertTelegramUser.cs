using Ardalis.Result;
using FluentValidation;
using Google.Protobuf.WellKnownTypes;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Domain;
using NanoBanana.Users.Persistence;
using Npgsql;

namespace NanoBanana.Users.Features;

/// <summary>
/// Records a Telegram user seen by the bot or the Mini App. One <c>INSERT … ON CONFLICT</c> decides
/// atomically whether the user is new, so concurrent upserts of the same new user create it once and
/// publish <see cref="UserRegistered"/> once (in the same transaction, through the outbox).
/// A referral applies only to a user created by this call, which also rules out cycles: a new user
/// has no referees yet, so hanging them under an existing user can never close a loop.
/// </summary>
internal sealed class UpsertTelegramUser(UsersDbContext db, TimeProvider clock, IServiceProvider services)
    : IUseCaseHandler<UpsertTelegramUserRequest, UpsertTelegramUserResponse>
{
    private const int CodeAttempts = 3;

    public async Task<Result<UpsertTelegramUserResponse>> Handle(UpsertTelegramUserRequest request, CancellationToken cancellationToken)
    {
        var telegramUser = request.User;
        var strategy = db.Database.CreateExecutionStrategy();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var isNew = await strategy.ExecuteAsync(() => UpsertAsync(telegramUser, request.StartParameter, cancellationToken));
                if (isNew)
                {
                    services.NotifyOutbox();
                }

                var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == telegramUser.Id, cancellationToken);
                return new UpsertTelegramUserResponse { User = user.Adapt<Contracts.V1.User>(), IsNew = isNew };
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation
                && exception.ConstraintName == "users_referral_code_key" && attempt < CodeAttempts)
            {
                // A fresh random code collided with another user's; try again with a new one.
            }
        }
    }

    private async Task<bool> UpsertAsync(TelegramUser telegramUser, string startParameter, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var referrerId = await FindReferrerAsync(startParameter, telegramUser.Id, cancellationToken);
        var now = clock.GetUtcNow();

        await using var command = SqlSession.Command(db,
            """
            INSERT INTO users.users (id, username, first_name, last_name, language_code, is_premium, first_seen_at, last_seen_at, referral_code, referrer_id)
            VALUES (@id, @username, @first_name, @last_name, @language_code, @is_premium, @now, @now, @code, @referrer_id)
            ON CONFLICT (id) DO UPDATE SET
                username = EXCLUDED.username,
                first_name = EXCLUDED.first_name,
                last_name = EXCLUDED.last_name,
                language_code = EXCLUDED.language_code,
                is_premium = EXCLUDED.is_premium,
                last_seen_at = GREATEST(users.last_seen_at, EXCLUDED.last_seen_at)
            RETURNING (xmax = 0) AS inserted
            """);
        command.Parameters.AddWithValue("id", telegramUser.Id);
        command.Parameters.AddWithValue("username", NullIfEmpty(telegramUser.Username));
        command.Parameters.AddWithValue("first_name", telegramUser.FirstName);
        command.Parameters.AddWithValue("last_name", NullIfEmpty(telegramUser.LastName));
        command.Parameters.AddWithValue("language_code", NullIfEmpty(telegramUser.LanguageCode));
        command.Parameters.AddWithValue("is_premium", telegramUser.IsPremium);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("code", ReferralCode.New());
        command.Parameters.AddWithValue("referrer_id", referrerId is { } id ? id : DBNull.Value);
        // xmax = 0 only on a row this statement inserted; an update of an existing row sets it.
        var inserted = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;

        if (inserted)
        {
            db.AddIntegrationEvent(
                new UserRegistered
                {
                    UserId = telegramUser.Id,
                    ReferrerId = referrerId ?? 0,
                    LanguageCode = telegramUser.LanguageCode,
                    RegisteredAt = Timestamp.FromDateTimeOffset(now),
                },
                clock);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>The owner of the start parameter's referral code, unless that is the user themself.</summary>
    private async Task<long?> FindReferrerAsync(string startParameter, long userId, CancellationToken cancellationToken)
    {
        if (ReferralCode.FromStartParameter(startParameter) is not { } code)
        {
            return null;
        }

        var referrer = await db.Users.AsNoTracking().Where(u => u.ReferralCode == code && u.Id != userId).Select(u => (long?)u.Id).SingleOrDefaultAsync(cancellationToken);
        return referrer;
    }

    private static object NullIfEmpty(string value) => value.Length == 0 ? DBNull.Value : value;
}

internal sealed class TelegramUserValidator : AbstractValidator<TelegramUser>
{
    public TelegramUserValidator()
    {
        RuleFor(u => u.Id).GreaterThan(0);
        RuleFor(u => u.FirstName).NotEmpty().MaximumLength(256);
        RuleFor(u => u.LastName).MaximumLength(256);
        RuleFor(u => u.Username).MaximumLength(64);
        RuleFor(u => u.LanguageCode).MaximumLength(35);
    }
}

internal sealed class UpsertTelegramUserValidator : AbstractValidator<UpsertTelegramUserRequest>
{
    public UpsertTelegramUserValidator()
    {
        RuleFor(r => r.User).NotNull().SetValidator(new TelegramUserValidator());
        RuleFor(r => r.StartParameter).MaximumLength(512);
    }
}
