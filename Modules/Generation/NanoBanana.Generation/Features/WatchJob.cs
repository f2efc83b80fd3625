using System.Runtime.CompilerServices;
using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Queue;

namespace NanoBanana.Generation.Features;

/// <summary>
/// Streams a job: its state now, then each change (status, queue position, result) until it
/// finishes. Read from the database, so it works whichever replica runs the job.
/// </summary>
internal sealed class WatchJob(IServiceScopeFactory scopes, CallContext call) : IStreamUseCaseHandler<WatchJobRequest, WatchJobResponse>
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<Result<IAsyncEnumerable<WatchJobResponse>>> Handle(WatchJobRequest request, CancellationToken cancellationToken)
    {
        var principal = call.Principal;
        if (!principal.IsUser && principal.Kind != PrincipalKind.Module)
        {
            return Result<IAsyncEnumerable<WatchJobResponse>>.Unauthorized("Sign in to watch generations.");
        }

        var id = Guid.Parse(request.JobId);
        if (await LoadAsync(id, principal, cancellationToken) is null)
        {
            return Result<IAsyncEnumerable<WatchJobResponse>>.NotFound("No such generation.");
        }

        return Result<IAsyncEnumerable<WatchJobResponse>>.Success(StreamAsync(id, principal, cancellationToken));
    }

    private async IAsyncEnumerable<WatchJobResponse> StreamAsync(Guid id, Principal principal, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Job? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var job = await LoadAsync(id, principal, cancellationToken);
            if (job is null)
            {
                yield break;
            }

            if (last is null || Changed(last, job))
            {
                last = job;
                yield return new WatchJobResponse { Job = job };
            }

            if (job.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled)
            {
                yield break;
            }

            try
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static bool Changed(Job before, Job after) =>
        before.Status != after.Status || before.QueuePosition != after.QueuePosition || before.Attempts != after.Attempts
        || before.CancelRequested != after.CancelRequested || before.Media.Count != after.Media.Count;

    private async Task<Job?> LoadAsync(Guid id, Principal principal, CancellationToken cancellationToken)
    {
        // A scope per look: the stream outlives the request's scope.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GenerationDbContext>();
        var estimator = scope.ServiceProvider.GetRequiredService<QueueEstimator>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var job = await db.Jobs.AsNoTracking().Include(j => j.VideoTools).Include(j => j.Media)
            .SingleOrDefaultAsync(j => j.Id == id && (!principal.IsUser || j.UserId == principal.UserId), cancellationToken);
        return job is null ? null : JobMapping.AdaptToJob(job, clock.GetUtcNow(), await estimator.SnapshotAsync(job, cancellationToken));
    }
}

internal sealed class WatchJobValidator : AbstractValidator<WatchJobRequest>
{
    public WatchJobValidator() => RuleFor(r => r.JobId).MustBeJobId();
}
