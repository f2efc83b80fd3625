using Ardalis.Result;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Access;
using NanoBanana.Users.Contracts.V1;

namespace NanoBanana.Users.Features;

/// <summary>
/// Mini App sign-in: verifies initData against the bot token, registers or refreshes the user (the
/// same use case the bot uses, so a Mini App start_param referral counts too), and issues a session.
/// </summary>
internal sealed class SignInWithTelegram(
    IConfiguration configuration,
    IOptions<AuthOptions> options,
    TimeProvider clock,
    IMediator mediator,
    SessionTokens sessions) : IUseCaseHandler<SignInWithTelegramRequest, SignInWithTelegramResponse>
{
    public async Task<Result<SignInWithTelegramResponse>> Handle(SignInWithTelegramRequest request, CancellationToken cancellationToken)
    {
        var botToken = configuration["Telegram:BotToken"];
        if (string.IsNullOrEmpty(botToken))
        {
            return Result<SignInWithTelegramResponse>.Unavailable("Mini App sign-in is not configured (Telegram:BotToken).");
        }

        var settings = options.Value;
        var signatureKey = settings.InitDataSignaturePublicKey.Length > 0 ? Convert.FromHexString(settings.InitDataSignaturePublicKey) : null;
        var check = InitData.Validate(request.InitData, botToken, clock.GetUtcNow(), settings.InitDataMaxAge, settings.InitDataMaxFutureSkew, signatureKey);
        if (check.Data is not { } data)
        {
            return check.Rejection == InitDataRejection.Malformed
                ? Result<SignInWithTelegramResponse>.Invalid(new ValidationError("init_data", check.Reason, "MalformedInitData", ValidationSeverity.Error))
                : Result<SignInWithTelegramResponse>.Unauthorized(check.Reason);
        }

        var upsert = await mediator.Send(
            new UpsertTelegramUserRequest
            {
                User = new TelegramUser
                {
                    Id = data.User.Id,
                    FirstName = data.User.FirstName,
                    LastName = data.User.LastName ?? "",
                    Username = data.User.Username ?? "",
                    LanguageCode = data.User.LanguageCode ?? "",
                    IsPremium = data.User.IsPremium,
                },
                StartParameter = data.StartParam ?? "",
            },
            cancellationToken);
        if (!upsert.IsSuccess)
        {
            return upsert.ToFailure();
        }

        if (upsert.Value.User.Banned)
        {
            return Result<SignInWithTelegramResponse>.Forbidden("This account is banned.");
        }

        var (token, expiresAt) = await sessions.IssueAsync(data.User.Id, cancellationToken);
        return new SignInWithTelegramResponse
        {
            SessionToken = token,
            ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt),
            User = upsert.Value.User,
            IsNew = upsert.Value.IsNew,
        };
    }
}

internal sealed class SignInWithTelegramValidator : AbstractValidator<SignInWithTelegramRequest>
{
    public SignInWithTelegramValidator() =>
        RuleFor(r => r.InitData).NotEmpty().MaximumLength(InitData.MaxLength).WithMessage($"init_data must be 1..{InitData.MaxLength} characters.");
}
