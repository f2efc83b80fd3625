namespace NanoBanana.BuildingBlocks.Background;

/// <summary>
/// What a claim loop does with an item whose attempt failed: try again after a delay that doubles per
/// attempt (from <see cref="FirstDelay"/>, capped at <see cref="MaxDelay"/>, spread by ±<see cref="Jitter"/>
/// so items that failed together are not retried together), or park it for an operator once
/// <see cref="MaxAttempts"/> attempts have failed.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay, double Jitter = 0)
{
    /// <param name="failedAttempts">Attempts made so far, the one that just failed included (1 after the first).</param>
    public RetryDecision After(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        if (failedAttempts >= MaxAttempts)
        {
            return new RetryDecision(Park: true, TimeSpan.Zero);
        }

        var doubled = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var capped = Math.Min(doubled, MaxDelay.TotalMilliseconds);
        var spread = Jitter <= 0 ? 1 : 1 - Jitter + (Random.Shared.NextDouble() * 2 * Jitter);
        return new RetryDecision(Park: false, TimeSpan.FromMilliseconds(capped * spread));
    }
}

/// <summary>Park the item, or retry it after <see cref="Delay"/>.</summary>
public readonly record struct RetryDecision(bool Park, TimeSpan Delay);
