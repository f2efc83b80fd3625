using Google.Protobuf;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>✏️ Edit: an image→image job on an earlier result records that job as its parent (ADR 0171).</summary>
public sealed class EditChainTests(AssistantFixture fixture) : IClassFixture<AssistantFixture>
{
    private GenerationHarness H => fixture.Harness;

    [Fact]
    public async Task Two_edits_in_a_row_each_record_their_parent_and_are_priced_as_normal_jobs()
    {
        var user = await H.FundedUserAsync(100);
        var original = await H.WaitSettledAsync((await H.StartAsync(user, GenerationHarness.Spec("nano-banana", GenerationKind.TextToImage, "a house"))).Job.Id);

        var first = await EditAsync(user, original, "make it night");
        var second = await EditAsync(user, first, "remove the text");

        Assert.Equal(JobStatus.Succeeded, second.Status);
        Assert.Equal(original.Id, first.ParentJobId);
        Assert.Equal(first.Id, second.ParentJobId);
        Assert.Equal("", original.ParentJobId);
        Assert.Equal(GenerationKind.ImageToImage, second.Kind);
        Assert.Equal(100 - (3 * original.PriceCredits), (await H.BalanceAsync(user)).Available);
        var listed = (await H.SendAsync(new ListMyGenerationsRequest(), Principal.ForUser(user))).Value.Jobs;
        Assert.Equal([first.Id, original.Id, ""], listed.Select(j => j.ParentJobId));
    }

    [Fact]
    public async Task An_edit_of_someone_elses_or_an_unfinished_job_is_refused_with_nothing_held()
    {
        var owner = await H.FundedUserAsync(100);
        var other = await H.FundedUserAsync(100);
        var job = await H.WaitSettledAsync((await H.StartAsync(owner, GenerationHarness.Spec("nano-banana", GenerationKind.TextToImage, "a tree"))).Job.Id);

        var spec = EditSpec(job, "make it autumn", InputAndSandboxTests.Png(64, 64));
        var foreign = await H.SendAsync(new StartGenerationRequest { Spec = spec, ClientRequestId = "foreign" }, Principal.ForUser(other));
        var textKind = await H.SendAsync(new StartGenerationRequest { Spec = new GenerationSpec(spec) { Kind = GenerationKind.TextToImage }, ClientRequestId = "kind" }, Principal.ForUser(owner));
        var notAnId = await H.SendAsync(new StartGenerationRequest { Spec = new GenerationSpec(spec) { ParentJobId = "42" }, ClientRequestId = "id" }, Principal.ForUser(owner));

        Assert.Contains(foreign.ValidationErrors, e => e.Identifier == "spec.parent_job_id");
        Assert.Equal(Ardalis.Result.ResultStatus.Invalid, textKind.Status);
        Assert.Equal(Ardalis.Result.ResultStatus.Invalid, notAnId.Status);
        Assert.Equal(100, (await H.BalanceAsync(other)).Available);
    }

    private async Task<Job> EditAsync(long user, Job parent, string instruction)
    {
        var result = (await H.SendAsync(new GetMediaContentRequest { MediaId = parent.Media[0].Id })).Value.Content.ToByteArray();
        var started = await H.StartAsync(user, EditSpec(parent, instruction, result));
        Assert.NotNull(started.Job);
        return await H.WaitSettledAsync(started.Job.Id);
    }

    private static GenerationSpec EditSpec(Job parent, string instruction, byte[] reference)
    {
        var spec = new GenerationSpec { ModelSlug = parent.ModelSlug, Kind = GenerationKind.ImageToImage, Prompt = instruction, ParentJobId = parent.Id };
        spec.ReferenceImages.Add(new ReferenceImage { Data = ByteString.CopyFrom(reference) });
        return spec;
    }
}
