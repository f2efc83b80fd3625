using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NanoBanana.BuildingBlocks.Configuration;

/// <summary>
/// The one way a module binds its settings: to a configuration section, validated by data annotations and
/// <see cref="IValidatableObject"/> (nested settings too, where marked <see cref="ValidateObjectMembersAttribute"/>),
/// so a bad setting stops start-up with a message naming it (e.g. <c>Billing:WelcomeBonus: must be between 0 and 10000</c>).
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/> for <c>IOptions</c>; validated when the Host starts.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// Binds and validates <typeparamref name="TOptions"/> now, for a module that needs its settings while it
    /// registers its services (which providers exist, which folder holds media).
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names every one.</exception>
    public static TOptions BindValidated<TOptions>(this IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        var options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var result = new SectionValidator<TOptions>(section).Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(TOptions), result.Failures) : options;
    }

    private sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var failures = new List<string>();
            Collect(options, section, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void Collect(object options, string path, List<string> failures)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"{path}:{string.Join(",", r.MemberNames.DefaultIfEmpty("?"))}: {r.ErrorMessage}"));
            }

            foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.IsDefined(typeof(ValidateObjectMembersAttribute)) && property.GetValue(options) is { } nested)
                {
                    Collect(nested, $"{path}:{property.Name}", failures);
                }
            }
        }
    }
}
