using Ardalis.Result;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using NanoBanana.ArchitectureTests.Fixtures.V1;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.ArchitectureTests.Fixtures;

// Known-bad shapes: public, unsealed handler / validator / DbContext that the rules must reject.
public class PublicUnsealedHandler : IRequestHandler<PublicUnsealedRequest, Result<string>>
{
    public Task<Result<string>> Handle(PublicUnsealedRequest request, CancellationToken cancellationToken) => Task.FromResult(Result<string>.Success("bad"));
}

public sealed class PublicUnsealedRequest : IRequest<Result<string>>;

public class PublicValidator : AbstractValidator<PublicUnsealedRequest>;

public class PublicDbContext : DbContext;

// A public type nested in an internal one is public to the rules too (GetExportedTypes would miss it).
internal sealed class InternalOuter
{
    public sealed class PublicNested;
}

// A worker with its own poll loop instead of the WorkLoop.
internal sealed class HandWrittenPollingLoop : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}

// Sets the caller of a scope it did not open: nested calls would run as whoever set it last.
internal static class CallerSwap
{
    public static void RunAsModule(CallContext call) => call.Enter(Principal.Module);
}

// A reaction to another module's event outside Integration/.
internal sealed class MisplacedEventHandler : IIntegrationEventHandler<UnguardedRequest>
{
    public Task HandleAsync(UnguardedRequest integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
