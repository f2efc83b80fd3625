namespace NanoBanana.BuildingBlocks.Results;

/// <summary>Non-generic view of a result, for pipelines that do not know the value type.</summary>
public interface IResult
{
    ResultStatus Status { get; }
    IReadOnlyList<string> Errors { get; }
    IReadOnlyList<ValidationError> ValidationErrors { get; }
    bool IsSuccess { get; }
    object? GetValue();
}

/// <summary>Lets generic code build a failed result of any <c>Result&lt;T&gt;</c> without reflection.</summary>
public interface IResultFactory<out TSelf>
{
    static abstract TSelf Failure(ResultStatus status, IReadOnlyList<string> errors, IReadOnlyList<ValidationError> validationErrors);
}

/// <summary>
/// A use-case outcome: a value or a failure status with messages. Shaped like Ardalis.Result
/// (<c>Result&lt;T&gt;.Success</c>, <c>Result.NotFound()</c>, implicit conversions) so a swap stays mechanical.
/// </summary>
public class Result<T> : IResult, IResultFactory<Result<T>>
{
    private readonly T? _value;

    protected Result(ResultStatus status, T? value, IReadOnlyList<string> errors, IReadOnlyList<ValidationError> validationErrors)
    {
        Status = status;
        _value = value;
        Errors = errors;
        ValidationErrors = validationErrors;
    }

    public ResultStatus Status { get; }

    public IReadOnlyList<string> Errors { get; }

    public IReadOnlyList<ValidationError> ValidationErrors { get; }

    public bool IsSuccess => Status == ResultStatus.Ok;

    /// <summary>The value of a successful result; reading it from a failure is a programming error.</summary>
    public T Value => IsSuccess
        ? _value!
        : throw new InvalidOperationException($"A {Status} result has no value.");

    public object? GetValue() => _value;

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Result result) =>
        result.IsSuccess
            ? throw new InvalidOperationException("A valueless success cannot become a Result<T>.")
            : new Result<T>(result.Status, default, result.Errors, result.ValidationErrors);

    public static Result<T> Success(T value) => new(ResultStatus.Ok, value, [], []);

    public static Result<T> Failure(ResultStatus status, IReadOnlyList<string> errors, IReadOnlyList<ValidationError> validationErrors)
    {
        if (status == ResultStatus.Ok)
        {
            throw new ArgumentException("A failure needs a failure status.", nameof(status));
        }

        return new Result<T>(status, default, errors, validationErrors);
    }

    public static Result<T> Invalid(params ValidationError[] errors) => Failure(ResultStatus.Invalid, [], errors);

    public static Result<T> Invalid(IEnumerable<ValidationError> errors) => Failure(ResultStatus.Invalid, [], [.. errors]);

    public static Result<T> NotFound(params string[] errors) => Failure(ResultStatus.NotFound, errors, []);

    public static Result<T> Unauthorized(params string[] errors) => Failure(ResultStatus.Unauthorized, errors, []);

    public static Result<T> Forbidden(params string[] errors) => Failure(ResultStatus.Forbidden, errors, []);

    public static Result<T> Conflict(params string[] errors) => Failure(ResultStatus.Conflict, errors, []);

    public static Result<T> Unavailable(params string[] errors) => Failure(ResultStatus.Unavailable, errors, []);

    public static Result<T> Error(params string[] errors) => Failure(ResultStatus.Error, errors, []);

    /// <summary>Transforms the value of a success; carries a failure over unchanged.</summary>
    public Result<TOut> Map<TOut>(Func<T, TOut> map) =>
        IsSuccess ? Result<TOut>.Success(map(Value)) : Result<TOut>.Failure(Status, Errors, ValidationErrors);

    public override string ToString() =>
        IsSuccess ? $"Ok({_value})" : $"{Status}({string.Join("; ", Errors.Concat(ValidationErrors.Select(e => $"{e.Identifier}: {e.ErrorMessage}")))})";
}

/// <summary>A result without a value (commands that only succeed or fail).</summary>
public sealed class Result : Result<Result>
{
    private Result(ResultStatus status, IReadOnlyList<string> errors, IReadOnlyList<ValidationError> validationErrors)
        : base(status, null, errors, validationErrors)
    {
    }

    public static Result Success() => new(ResultStatus.Ok, [], []);

    public static new Result Invalid(params ValidationError[] errors) => new(ResultStatus.Invalid, [], errors);

    public static new Result Invalid(IEnumerable<ValidationError> errors) => new(ResultStatus.Invalid, [], [.. errors]);

    public static new Result NotFound(params string[] errors) => new(ResultStatus.NotFound, errors, []);

    public static new Result Unauthorized(params string[] errors) => new(ResultStatus.Unauthorized, errors, []);

    public static new Result Forbidden(params string[] errors) => new(ResultStatus.Forbidden, errors, []);

    public static new Result Conflict(params string[] errors) => new(ResultStatus.Conflict, errors, []);

    public static new Result Unavailable(params string[] errors) => new(ResultStatus.Unavailable, errors, []);

    public static new Result Error(params string[] errors) => new(ResultStatus.Error, errors, []);
}
