using FluentValidation;
using MediatR;
using NanoBanana.BuildingBlocks.Results;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>Runs every FluentValidation validator of the request; any failure short-circuits to Invalid with field errors.</summary>
internal sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
    where TResponse : IResultFactory<TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        List<ValidationError>? errors = null;
        foreach (var validator in validators)
        {
            var outcome = await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken);
            foreach (var failure in outcome.Errors)
            {
                (errors ??= []).Add(new ValidationError(ToFieldPath(failure.PropertyName), failure.ErrorMessage, failure.ErrorCode));
            }
        }

        return errors is null ? await next() : TResponse.Failure(ResultStatus.Invalid, [], errors);
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
