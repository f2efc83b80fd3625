using FluentValidation;
using FluentValidation.Validators;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>
/// The rule that an enum field holds one of its declared values: FluentValidation's <c>IsInEnum</c> with the same
/// name, error code and message, without its per-call reflection (it reads the type's <see cref="FlagsAttribute"/>
/// on every value; ADR 0210). Proto enums are never flags.
/// </summary>
public static class DefinedEnumRule
{
    public static IRuleBuilderOptions<T, TEnum> IsDefinedEnum<T, TEnum>(this IRuleBuilder<T, TEnum> rule)
        where TEnum : struct, Enum =>
        rule.SetValidator(new DefinedEnumValidator<T, TEnum>());

    private sealed class DefinedEnumValidator<T, TEnum> : PropertyValidator<T, TEnum>
        where TEnum : struct, Enum
    {
        public override string Name => "EnumValidator";

        public override bool IsValid(ValidationContext<T> context, TEnum value) => Enum.IsDefined(value);

        protected override string GetDefaultMessageTemplate(string errorCode) => Localized(errorCode, Name);
    }
}
