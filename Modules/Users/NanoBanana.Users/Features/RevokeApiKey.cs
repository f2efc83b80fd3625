using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>Revokes an API key by name; the authenticator reads keys on every call, so it stops working at once.</summary>
internal sealed class RevokeApiKey(UsersDbContext db, TimeProvider clock) : IUseCaseHandler<RevokeApiKeyRequest, RevokeApiKeyResponse>
{
    public async Task<Result<RevokeApiKeyResponse>> Handle(RevokeApiKeyRequest request, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Name == request.Name, cancellationToken);
        if (key is null)
        {
            return Result<RevokeApiKeyResponse>.NotFound($"API key '{request.Name}' does not exist.");
        }

        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new RevokeApiKeyResponse { Key = key.Adapt<Contracts.V1.ApiKey>() };
    }
}

internal sealed class RevokeApiKeyValidator : AbstractValidator<RevokeApiKeyRequest>
{
    public RevokeApiKeyValidator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(64);
}
