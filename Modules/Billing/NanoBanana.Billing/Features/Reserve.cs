using Ardalis.Result;
using FluentValidation;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>
/// Moves credits from available to reserved under a hold that a capture or a release closes; credits that expire
/// (plan credits, the free allowance) are taken first (ADR 0161). One call of <c>billing.reserve</c> (ADR 0205).
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
                var holdId = Guid.CreateVersion7(now);
                var expiresAt = now + (request.ExpiresInSeconds > 0 ? TimeSpan.FromSeconds(request.ExpiresInSeconds) : options.Value.DefaultHoldExpiry);
                // The response but for the balance, which the function appends once it knows it.
                var response = new ReserveResponse { HoldId = holdId.ToString(), ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt) };
                var outcome = await session.FinishAsync(
                    LedgerSession.Statement(
                        "SELECT * FROM billing.reserve(@user, @amount, @key, @fingerprint, @hold, @expires, @purpose, @reference, @actor, @now, @response)",
                        ("user", request.UserId),
                        ("amount", request.Amount),
                        ("key", request.IdempotencyKey),
                        ("fingerprint", fingerprint),
                        ("hold", holdId),
                        ("expires", expiresAt),
                        ("purpose", request.Purpose),
                        ("reference", request.Reference),
                        ("actor", call.Principal.Actor),
                        ("now", now),
                        ("response", response.ToByteArray())),
                    reader => HoldOutcome.ReadAsync(reader, cancellationToken),
                    cancellationToken);
                return outcome.Outcome switch
                {
                    // Nothing changed, so the key stays unused: a retry after a top-up may succeed.
                    "insufficient" => new ReserveResponse { Balance = outcome.Balance, InsufficientFunds = true, Shortfall = request.Amount - outcome.Balance!.Available },
                    "reserved" => Result<ReserveResponse>.Success(new ReserveResponse(response) { Balance = outcome.Balance }),
                    _ => outcome.Replay(request.IdempotencyKey, ReserveResponse.Parser) ?? throw new InvalidOperationException($"billing.reserve answered '{outcome.Outcome}'."),
                };
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
