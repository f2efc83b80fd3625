using System.Runtime.CompilerServices;
using Ardalis.Result;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>
/// Sends a use case in-process as an explicit caller (ADR 0180): every send runs in a DI scope of its own whose
/// <see cref="CallContext"/> holds that caller from the start and cannot change, so the handler and everything it
/// calls see who asked, not whoever set a shared context last. A module calling another module states itself
/// (<see cref="Principal.Module"/>); the bot states the Telegram user it acts for.
/// </summary>
public sealed class UseCaseSender(IServiceScopeFactory scopes)
{
    public async Task<Result<T>> SendAsync<T>(Principal caller, IUseCase<T> request, CancellationToken cancellationToken)
    {
        await using var scope = Enter(caller);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, cancellationToken);
    }

    /// <summary>
    /// A server-streaming use case: its scope lives until the stream is enumerated to its end (or fails), so the
    /// caller must enumerate it.
    /// </summary>
    public async Task<Result<IAsyncEnumerable<T>>> StreamAsync<T>(Principal caller, IStreamUseCase<T> request, CancellationToken cancellationToken)
    {
        var scope = Enter(caller);
        try
        {
            var opened = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, cancellationToken);
            if (opened.IsSuccess)
            {
                return Result<IAsyncEnumerable<T>>.Success(InScope(opened.Value, scope, cancellationToken));
            }

            await scope.DisposeAsync();
            return opened;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    private AsyncServiceScope Enter(Principal caller)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallContext>().Enter(caller);
        return scope;
    }

    private static async IAsyncEnumerable<T> InScope<T>(IAsyncEnumerable<T> items, AsyncServiceScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using (scope)
        {
            await foreach (var item in items.WithCancellation(cancellationToken))
            {
                yield return item;
            }
        }
    }
}
