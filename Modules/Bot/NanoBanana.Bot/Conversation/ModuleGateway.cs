using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// Calls other modules' use cases in-process, each call in a scope of its own with its caller stated (ADR 0180): the
/// Telegram user (public methods act on the caller's own data), an admin, or the bot as a module (module-level methods).
/// </summary>
internal sealed class ModuleGateway(UseCaseSender sender)
{
    public Task<Result<T>> AsUserAsync<T>(long userId, IUseCase<T> request, CancellationToken cancellationToken) =>
        sender.SendAsync(Principal.ForUser(userId), request, cancellationToken);

    /// <summary>An admin command: the Telegram admin acts with the admin role, named in audit columns.</summary>
    public Task<Result<T>> AsAdminAsync<T>(long adminUserId, IUseCase<T> request, CancellationToken cancellationToken) =>
        sender.SendAsync(Principal.ForApiKey($"telegram-admin:{adminUserId}", Options.V1.Role.Admin), request, cancellationToken);

    public Task<Result<T>> AsModuleAsync<T>(IUseCase<T> request, CancellationToken cancellationToken) =>
        sender.SendAsync(Principal.Module, request, cancellationToken);
}

internal static class ResultExtensions
{
    /// <summary>The value of a call that has no expected failure; anything else fails the update (retried, then parked with an alert).</summary>
    public static T Require<T>(this Result<T> result, string what) =>
        result.IsSuccess ? result.Value : throw new ModuleCallException($"{what}: {result.Status} {string.Join("; ", result.Errors)}");
}

internal sealed class ModuleCallException(string message) : Exception(message);
