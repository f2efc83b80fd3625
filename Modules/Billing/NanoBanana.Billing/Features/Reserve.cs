using Ardalis.Result;
using FluentValidation;
using Google.Protobuf.WellKnownTypes;
using Mapster;
using Microsoft.Extensions.Options;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>
/// Moves credits from available to reserved under a hold that a capture or a release closes; credits that expire
/// (plan credits, the free allowance) are taken first (ADR 0161).
/// </summary>
internal sealed class Reserve(BillingTransactions transactions, TimeProvider clock, IOptions<BillingOptions> options, CallContext call)
    : IUseCaseHandler<ReserveRequest, ReserveResponse>
{
    public Task<Result<ReserveResponse>> Handle(ReserveRequest request, CancellationToken cancellationToken)
    {
        var fingerprint = $"reserve|{request.UserId}|{request.Amount}|{request.Purpose}|{request.Reference}|{request.ExpiresInSeconds}";
        return transactions.RunAsync<Result<ReserveResponse>>(
            async session =>
            {
                var now = clock.GetUtcNow();
                var (account, replay) = await session.LockAccountAsync(request.UserId, request.IdempotencyKey, fingerprint, ReserveResponse.Parser, now, cancellationToken);
                if (replay is not null)
                {
                    return replay;
                }

                if (account.Available < request.Amount)
                {
                    // Nothing changed, so the key stays unused: a retry after a top-up may succeed.
                    return new ReserveResponse { Balance = account.Adapt<Balance>(), InsufficientFunds = true, Shortfall = request.Amount - account.Available };
                }

                var holdId = Guid.CreateVersion7(now);
                var expiresAt = now + (request.ExpiresInSeconds > 0 ? TimeSpan.FromSeconds(request.ExpiresInSeconds) : options.Value.DefaultHoldExpiry);
                session.Defer(
                    """
                    INSERT INTO billing.holds (id, user_id, amount, status, expires_at, purpose, reference, idempotency_key, created_at)
                    VALUES (@id, @user, @amount, 'open', @expires, @purpose, @reference, @key, @now)
                    """,
                    ("id", holdId),
                    ("user", request.UserId),
                    ("amount", request.Amount),
                    ("expires", expiresAt),
                    ("purpose", request.Purpose),
                    ("reference", request.Reference),
                    ("key", request.IdempotencyKey),
                    ("now", now));
                session.TakeForHold(request.UserId, holdId, request.Amount);
                var after = account with { Available = account.Available - request.Amount, Reserved = account.Reserved + request.Amount };
                session.Append(after, new LedgerPosting(EntryKind.Hold, 0, request.IdempotencyKey, request.Reference, call.Principal.Actor, holdId), now);
                var response = new ReserveResponse { HoldId = holdId.ToString(), Balance = after.Adapt<Balance>(), ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt) };
                session.Remember(request.IdempotencyKey, fingerprint, response, now);
                return Result<ReserveResponse>.Success(response);
            },
            cancellationToken);
    }
}

internal sealed class ReserveValidator : AbstractValidator<ReserveRequest>
{
    public ReserveValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Amount).InclusiveBetween(1, BillingLimits.MaxAmount).WithMessage($"Amount must be 1 to {BillingLimits.MaxAmount} credits.");
        RuleFor(r => r.IdempotencyKey).MustBeIdempotencyKey();
        RuleFor(r => r.Purpose).NotEmpty().MaximumLength(64).WithMessage("A purpose of up to 64 characters is required.");
        RuleFor(r => r.Reference).MaximumLength(200).WithMessage("A reference is at most 200 characters.");
        RuleFor(r => r.ExpiresInSeconds).InclusiveBetween(0, 7 * 24 * 3600).WithMessage("A hold expires within 0 (default) to 604800 seconds.");
    }
}
