using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Mediation;

/// <summary>The helpers that cover where Ardalis.Result differs from what the use cases need (ADR 0105).</summary>
public sealed class ResultOutcomeTests
{
    private static readonly Result<int>[] FailureResults =
    [
        Result<int>.NotFound("no such order"),
        Result<int>.Unauthorized("signed out"),
        Result<int>.Forbidden("banned"),
        Result<int>.Conflict("already paid"),
        Result<int>.Unavailable("provider down"),
        Result<int>.Error("boom"),
        Result<int>.CriticalError("worse"),
        Result<int>.Invalid(new ValidationError("spec.model_slug", "unknown"), new ValidationError("prompt", "empty")),
    ];

    public static TheoryData<Result<int>> Failures => [.. FailureResults];

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_carried_to_another_value_type_keeps_status_messages_and_field_errors(Result<int> failure)
    {
        Result<string> carried = failure.ToFailure();

        Assert.Equal(failure.Status, carried.Status);
        Assert.False(carried.IsSuccess);
        Assert.Equal(failure.Errors, carried.Errors);
        Assert.Equal(
            failure.ValidationErrors.Select(e => (e.Identifier, e.ErrorMessage)),
            carried.ValidationErrors.Select(e => (e.Identifier, e.ErrorMessage)));
    }

    [Fact]
    public void A_success_cannot_be_carried_as_a_failure()
    {
        // Ardalis would turn it into an Ok without a value.
        Assert.Throws<ArgumentException>(() => Result<int>.Success(1).ToFailure());
        Assert.Throws<ArgumentException>(() => Result<int>.NoContent().ToFailure());
    }

    [Fact]
    public void The_non_generic_view_counts_Ok_Created_and_NoContent_as_success_like_the_generic_one()
    {
        Result<int>[] results = [Result<int>.Success(1), Result<int>.Created(2), Result<int>.NoContent(), .. FailureResults];

        Assert.All(results, r => Assert.Equal(r.IsSuccess, ((IResult)r).IsSuccess));
        Assert.Equal(3, results.Count(r => ((IResult)r).IsSuccess));
    }

    [Fact]
    public void Describe_names_the_status_messages_and_field_errors()
    {
        Assert.Equal("NotFound(no such order)", Result<int>.NotFound("no such order").Describe());
        Assert.Equal("Invalid(prompt: empty)", Result<int>.Invalid(new ValidationError("prompt", "empty")).Describe());
        Assert.Equal("Ok()", Result<int>.Success(1).Describe());
    }
}
