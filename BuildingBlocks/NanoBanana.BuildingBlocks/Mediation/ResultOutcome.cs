using Ardalis.Result;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>What Ardalis.Result's non-generic <see cref="IResult"/> lacks next to <c>Result&lt;T&gt;</c>.</summary>
public static class ResultOutcome
{
    extension(IResult result)
    {
        /// <summary>The rule of <c>Result&lt;T&gt;.IsSuccess</c>: Ok, Created and NoContent are successes.</summary>
        public bool IsSuccess => result.Status is ResultStatus.Ok or ResultStatus.Created or ResultStatus.NoContent;
    }
}
