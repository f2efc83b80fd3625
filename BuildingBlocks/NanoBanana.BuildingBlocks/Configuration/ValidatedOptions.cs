using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NanoBanana.BuildingBlocks.Configuration;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to configuration <paramref name="section"/> and validates it
    /// (data annotations + <see cref="IValidatableObject"/>) when the Host starts, so a bad setting stops
    /// start-up with a message naming it (e.g. <c>Billing:WelcomeBonus: must be between 0 and 10000</c>).
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }

            return ValidateOptionsResult.Fail(results.Select(r =>
                $"{section}:{string.Join(",", r.MemberNames.DefaultIfEmpty("?"))}: {r.ErrorMessage}"));
        }
    }
}
