using Ardalis.Result;
using MediatR;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// Calls other modules' use cases in-process, as the Telegram user (public methods act on the
/// caller's own data) or as a module (module-level methods).
/// </summary>
internal sealed class ModuleGateway(IMediator mediator, CallContext callContext)
{
    public Task<Result<T>> AsUserAsync<T>(long userId, IUseCase<T> request, CancellationToken cancellationToken)
    {
        callContext.Principal = Principal.ForUser(userId);
        return mediator.Send(request, cancellationToken);
    }

    /// <summary>An admin command: the Telegram admin acts with the admin role, named in audit columns.</summary>
    public Task<Result<T>> AsAdminAsync<T>(long adminUserId, IUseCase<T> request, CancellationToken cancellationToken)
    {
        callContext.Principal = Principal.ForApiKey($"telegram-admin:{adminUserId}", Options.V1.Role.Admin);
        return mediator.Send(request, cancellationToken);
    }

    public Task<Result<T>> AsModuleAsync<T>(IUseCase<T> request, CancellationToken cancellationToken)
    {
        callContext.Principal = Principal.Module;
        return mediator.Send(request, cancellationToken);
    }
}

internal static class ResultExtensions
{
    /// <summary>The value of a call that has no expected failure; anything else fails the update (retried, then parked with an alert).</summary>
    public static T Require<T>(this Result<T> result, string what) =>
        result.IsSuccess ? result.Value : throw new ModuleCallException($"{what}: {result.Status} {string.Join("; ", result.Errors)}");
}

internal sealed class ModuleCallException(string message) : Exception(message);
