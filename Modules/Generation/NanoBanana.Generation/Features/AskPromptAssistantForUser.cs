using System.Security.Cryptography;
using System.Text;
using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Assistant;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Inputs;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Features;

/// <summary>
/// The prompt assistant (ADR 0170): the Catalog's price is reserved, the text model gets the conversation's last
/// messages and the idea, and a good answer (three non-empty variants) is stored and captured; a malformed answer
/// or a transient failure is asked once more, then the request fails and the hold is released. Usage and provider
/// cost are recorded on the turn either way.
/// </summary>
internal sealed partial class AskPromptAssistantForUser(
    GenerationDbContext db,
    UseCaseSender sender,
    IEnumerable<IPromptWriter> writers,
    AssistantOptions options,
    TimeProvider clock,
    ILogger<AskPromptAssistantForUser> logger) : IUseCaseHandler<AskPromptAssistantForUserRequest, AskPromptAssistantForUserResponse>
{
    /// <summary>A malformed or transiently failed answer is asked for once more.</summary>
    private const int MaxAttempts = 2;

    public async Task<Result<AskPromptAssistantForUserResponse>> Handle(AskPromptAssistantForUserRequest request, CancellationToken cancellationToken)
    {
        if (writers.FirstOrDefault() is not { } writer)
        {
            return Result.Unavailable("The prompt assistant is not configured (Generation:Assistant:ApiKey).");
        }

        string? photoType = null;
        if (!request.Photo.IsEmpty)
        {
            photoType = ImageInspector.Inspect(request.Photo.Span)?.MimeType;
            if (photoType is null)
            {
                return Result.Invalid(new ValidationError("photo", "The photo is not a JPEG, PNG or WebP image."));
            }
        }

        var turnId = TurnIdFor(request.UserId, request.ClientRequestId.Trim());
        if (await db.AssistantTurns.AsNoTracking().SingleOrDefaultAsync(t => t.Id == turnId, cancellationToken) is { } existing)
        {
            return Repeat(existing);
        }

        var priced = await sender.SendAsync(Principal.Module, new GetAssistantPriceRequest(), cancellationToken);
        if (!priced.IsSuccess)
        {
            return priced.ToFailure();
        }

        var price = priced.Value.Price.CreditsPerRequest;
        var holdId = string.Empty;
        if (price > 0)
        {
            var reserved = await sender.SendAsync(
                Principal.Module,
                new ReserveRequest
                {
                    UserId = request.UserId,
                    Amount = price,
                    IdempotencyKey = $"assistant:{turnId}",
                    Purpose = "assistant",
                    Reference = turnId.ToString(),
                    // Outlives both attempts; a Host that dies while asking leaves a hold that releases itself.
                    ExpiresInSeconds = (int)(options.RequestTimeout * MaxAttempts + TimeSpan.FromMinutes(5)).TotalSeconds,
                },
                cancellationToken);
            if (!reserved.IsSuccess)
            {
                return reserved.ToFailure();
            }

            if (reserved.Value.InsufficientFunds)
            {
                return new AskPromptAssistantForUserResponse { InsufficientFunds = true, Shortfall = reserved.Value.Shortfall, PriceCredits = price };
            }

            holdId = reserved.Value.HoldId;
        }

        var turn = new AssistantTurn
        {
            Id = turnId,
            UserId = request.UserId,
            ClientRequestId = request.ClientRequestId.Trim(),
            Idea = request.Idea.Trim(),
            WithPhoto = photoType is not null,
            StartsConversation = request.NewConversation,
            Status = AssistantTurnStatus.Asking,
            Writer = writer.Name,
            Model = writer is SandboxPromptWriter ? "sandbox" : options.Model,
            PriceCredits = price,
            HoldId = holdId,
            CreatedAt = clock.GetUtcNow(),
        };
        var history = await HistoryAsync(request, turnId, cancellationToken);
        db.AssistantTurns.Add(turn);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same request arrived twice at once: the other one asks; the shared hold is settled by it.
            db.ChangeTracker.Clear();
            var raced = await db.AssistantTurns.AsNoTracking().SingleOrDefaultAsync(t => t.Id == turnId, cancellationToken);
            return raced is null ? throw new InvalidOperationException($"Assistant turn {turnId} could not be stored.") : Repeat(raced);
        }

        var conversation = new AssistantConversation(history, turn.Idea, photoType is null ? null : request.Photo.ToByteArray(), photoType);
        var variants = await AskAsync(writer, conversation, turn, cancellationToken);
        turn.FinishedAt = clock.GetUtcNow();
        turn.Status = variants is null ? AssistantTurnStatus.Failed : AssistantTurnStatus.Answered;
        turn.Answer = variants is null ? null : PromptVariants.Serialize(variants);
        await db.SaveChangesAsync(cancellationToken);
        await SettleAsync(turn, cancellationToken);
        var response = new AskPromptAssistantForUserResponse { PriceCredits = price, Failed = variants is null };
        response.Variants.AddRange(variants ?? []);
        return response;
    }

    /// <summary>Same user and client request id → same turn id, so a redelivered request finds its answer.</summary>
    private static Guid TurnIdFor(long userId, string clientRequestId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"assistant-turn:{userId}:{clientRequestId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // Version 8 (custom).
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant.
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static Result<AskPromptAssistantForUserResponse> Repeat(AssistantTurn turn)
    {
        if (turn.Status == AssistantTurnStatus.Asking)
        {
            return Result.Conflict("This request is still being answered.");
        }

        var response = new AskPromptAssistantForUserResponse { PriceCredits = turn.PriceCredits, Failed = turn.Status == AssistantTurnStatus.Failed, Duplicate = true };
        response.Variants.AddRange(turn.Answer is { } answer ? PromptVariants.Parse(answer) ?? [] : []);
        return response;
    }

    /// <summary>
    /// The conversation's last <see cref="AssistantOptions.ContextMessages"/> messages, oldest first: answered turns back to
    /// the one that started the conversation (or none when this request starts one).
    /// </summary>
    private async Task<IReadOnlyList<AssistantMessage>> HistoryAsync(AskPromptAssistantForUserRequest request, Guid turnId, CancellationToken cancellationToken)
    {
        var turns = options.ContextMessages / 2;
        if (request.NewConversation || turns == 0)
        {
            return [];
        }

        var cutoff = clock.GetUtcNow() - options.HistoryRetention;
        var recent = await db.AssistantTurns.AsNoTracking()
            .Where(t => t.UserId == request.UserId && t.Id != turnId && t.CreatedAt > cutoff && (t.Status == AssistantTurnStatus.Answered || t.StartsConversation))
            .OrderByDescending(t => t.CreatedAt)
            .Take(turns)
            .ToListAsync(cancellationToken);
        var kept = new List<AssistantTurn>();
        foreach (var turn in recent)
        {
            if (turn.Status == AssistantTurnStatus.Answered)
            {
                kept.Add(turn);
            }

            if (turn.StartsConversation)
            {
                break;
            }
        }

        kept.Reverse();
        return [.. kept.SelectMany(t => new[] { new AssistantMessage(true, t.WithPhoto ? t.Idea + " [photo attached]" : t.Idea), new AssistantMessage(false, t.Answer!) })];
    }

    /// <summary>The variants, or null after <see cref="MaxAttempts"/> bad answers or one failure that asking again cannot fix.</summary>
    private async Task<IReadOnlyList<PromptVariant>?> AskAsync(IPromptWriter writer, AssistantConversation conversation, AssistantTurn turn, CancellationToken cancellationToken)
    {
        while (turn.Attempts < MaxAttempts)
        {
            turn.Attempts++;
            try
            {
                var answer = await writer.WriteAsync(conversation, cancellationToken);
                turn.PromptTokens += answer.PromptTokens;
                turn.CompletionTokens += answer.CompletionTokens;
                turn.ProviderCostUsd += answer.CostUsd;
                turn.ProviderCostKopecks = (long)Math.Ceiling(turn.ProviderCostUsd * options.KopecksPerUsd);
                if (PromptVariants.Parse(answer.Content) is { } variants)
                {
                    return variants;
                }

                LogMalformed(logger, turn.Id, turn.Attempts, answer.Content.Length > 200 ? answer.Content[..200] : answer.Content);
            }
            catch (ProviderFailureException failure)
            {
                LogProviderFailure(logger, turn.Id, turn.Attempts, failure.FailureClass, failure.Message);
                if (failure.FailureClass != FailureClass.Transient)
                {
                    return null;
                }
            }
        }

        return null;
    }

    /// <summary>Capture on a good answer, release on a failure; both are idempotent in Billing.</summary>
    private async Task SettleAsync(AssistantTurn turn, CancellationToken cancellationToken)
    {
        if (turn.HoldId.Length == 0)
        {
            return;
        }

        var settled = turn.Status == AssistantTurnStatus.Answered
            ? (await sender.SendAsync(Principal.Module, new CaptureRequest { HoldId = turn.HoldId }, cancellationToken)).Status
            : (await sender.SendAsync(Principal.Module, new ReleaseRequest { HoldId = turn.HoldId, Reason = "assistant: the model failed" }, cancellationToken)).Status;
        if (settled != ResultStatus.Ok)
        {
            // The hold expires and releases itself; the answer is the user's either way.
            LogSettleFailed(logger, turn.Id, settled);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prompt assistant turn {TurnId}: attempt {Attempt} answered no three variants: {Content}")]
    private static partial void LogMalformed(ILogger logger, Guid turnId, int attempt, string content);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prompt assistant turn {TurnId}: attempt {Attempt} failed ({FailureClass}): {Detail}")]
    private static partial void LogProviderFailure(ILogger logger, Guid turnId, int attempt, FailureClass failureClass, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prompt assistant turn {TurnId}: settling its hold failed ({Status}); it expires by itself")]
    private static partial void LogSettleFailed(ILogger logger, Guid turnId, ResultStatus status);
}

internal sealed class AskPromptAssistantForUserValidator : AbstractValidator<AskPromptAssistantForUserRequest>
{
    public const int MaxIdeaLength = 1000;

    public AskPromptAssistantForUserValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Idea)
            .Must(i => i.Trim().Length > 0).WithMessage("Describe the idea.")
            .Must(i => i.Trim().Length <= MaxIdeaLength).WithMessage($"An idea is at most {MaxIdeaLength} characters.");
        RuleFor(r => r.Photo.Length).LessThanOrEqualTo(ImageInspector.MaxBytes).WithMessage("The photo is at most 10 MB.").OverridePropertyName("Photo");
        RuleFor(r => r.ClientRequestId).MustBeClientRequestId();
    }
}
