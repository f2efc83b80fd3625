using Ardalis.Result;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>Where Ardalis.Result differs from what the use cases need (ADR 0105).</summary>
public static class ResultOutcome
{
    extension(IResult result)
    {
        /// <summary>The rule of <c>Result&lt;T&gt;.IsSuccess</c>, which the non-generic interface lacks: Ok, Created and NoContent.</summary>
        public bool IsSuccess => result.Status is ResultStatus.Ok or ResultStatus.Created or ResultStatus.NoContent;

        /// <summary>The status with its messages and field errors, for logs and assertion messages (Ardalis.Result does not override ToString).</summary>
        public string Describe() =>
            $"{result.Status}({string.Join("; ", result.Errors.Concat(result.ValidationErrors.Select(e => $"{e.Identifier}: {e.ErrorMessage}")))})";
    }

    /// <summary>
    /// The failure of <paramref name="failed"/> for a use case of another value type, with its status, messages
    /// and field errors. Ardalis.Result has no public <c>Failure(status, …)</c>; its valueless <see cref="Result"/>
    /// converts to any <c>Result&lt;T&gt;</c>, but a success would become an Ok without a value, so that throws.
    /// </summary>
    public static Result ToFailure<T>(this Result<T> failed) =>
        failed.IsSuccess ? throw new ArgumentException($"A {failed.Status} result is not a failure.", nameof(failed)) : failed.Map();
}
