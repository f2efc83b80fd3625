using System.Reflection;
using Ardalis.Result;
using FluentValidation;
using MediatR;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>Runs every FluentValidation validator of the request; any failure short-circuits to Invalid with field errors.</summary>
internal sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
    where TResponse : IResult
{
    /// <summary>
    /// Ardalis.Result has no static factory interface, so <c>Result&lt;T&gt;.Invalid(IEnumerable&lt;ValidationError&gt;)</c>
    /// is bound by reflection once per response type, never per call.
    /// </summary>
    private static readonly Func<IEnumerable<ValidationError>, TResponse> Invalid =
        typeof(TResponse).GetMethod(nameof(Result.Invalid), BindingFlags.Public | BindingFlags.Static, [typeof(IEnumerable<ValidationError>)])
            ?.CreateDelegate<Func<IEnumerable<ValidationError>, TResponse>>()
        ?? throw new InvalidOperationException($"{typeof(TResponse)} has no static Invalid(IEnumerable<ValidationError>) returning itself.");

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        List<ValidationError>? errors = null;
        foreach (var validator in validators)
        {
            var outcome = await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken);
            foreach (var failure in outcome.Errors)
            {
                (errors ??= []).Add(new ValidationError(ToFieldPath(failure.PropertyName), failure.ErrorMessage, failure.ErrorCode, ValidationSeverity.Error));
            }
        }

        return errors is null ? await next() : Invalid(errors);
    }

    /// <summary>FluentValidation names properties in PascalCase (<c>Model.Slug</c>); clients know proto fields (<c>model.slug</c>).</summary>
    internal static string ToFieldPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(ProtoFieldName));

    private static string ProtoFieldName(string segment)
    {
        var builder = new System.Text.StringBuilder(segment.Length + 4);
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && segment[i - 1] != '[')
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
