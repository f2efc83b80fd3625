using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Mediation;

/// <summary>IsDefinedEnum answers exactly as FluentValidation's IsInEnum, which it replaces on hot paths (ADR 0210).</summary>
public sealed class DefinedEnumRuleTests
{
    public enum Shade
    {
        Unspecified = 0,
        Light = 1,
        Dark = 3,
    }

    public sealed record Paint(Shade Shade);

    private sealed class DefinedRule : AbstractValidator<Paint>
    {
        public DefinedRule() => RuleFor(p => p.Shade).IsDefinedEnum();
    }

    private sealed class LibraryRule : AbstractValidator<Paint>
    {
        public LibraryRule() => RuleFor(p => p.Shade).IsInEnum();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(99)]
    public void A_value_fails_with_the_same_property_message_and_code_as_IsInEnum(int value)
    {
        var paint = new Paint((Shade)value);

        var ours = new DefinedRule().Validate(paint).Errors.Select(e => (e.PropertyName, e.ErrorMessage, e.ErrorCode));
        var library = new LibraryRule().Validate(paint).Errors.Select(e => (e.PropertyName, e.ErrorMessage, e.ErrorCode));

        Assert.Equal(library, ours);
        Assert.Equal(Enum.IsDefined((Shade)value), !ours.Any());
    }
}
