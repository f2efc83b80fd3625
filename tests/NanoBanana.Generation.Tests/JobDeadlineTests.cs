using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

public sealed class ShortDeadlineFixture : IAsyncLifetime
{
    public GenerationHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Harness = await GenerationHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync("gen-deadline"),
            new Dictionary<string, string?> { ["Generation:ImageDeadline"] = "00:00:04" });

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>
/// A provider that never answers: the job fails as a timeout at its deadline and the credits come back. Its own
/// Host with a short deadline, so that no other job can run into that deadline while it waits in a busy queue.
/// </summary>
public sealed class JobDeadlineTests(ShortDeadlineFixture fixture) : IClassFixture<ShortDeadlineFixture>
{
    [Fact]
    public async Task A_provider_that_hangs_fails_the_job_at_its_deadline_and_refunds() =>
        await GenerationJobTests.AssertFailsAndRefundsAsync(fixture.Harness, "[sandbox:hang]", FailureClass.Timeout, "in time");
}
