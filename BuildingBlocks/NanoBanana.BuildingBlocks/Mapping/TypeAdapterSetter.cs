using System.Linq.Expressions;
using System.Reflection;

namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>Fluent rules for one source → destination pair (Mapster's <c>TypeAdapterSetter</c>).</summary>
public sealed class TypeAdapterSetter<TSource, TDestination>
{
    private readonly TypeAdapterConfig _config;

    internal TypeAdapterSetter(TypeAdapterConfig config) => _config = config;

    /// <summary>
    /// Fills a destination member from an expression over the source. The value then goes through the
    /// usual conversions (nested objects, collections, enums, timestamps), so it need not have the member's type.
    /// </summary>
    public TypeAdapterSetter<TSource, TDestination> Map<TDestinationMember, TSourceMember>(
        Expression<Func<TDestination, TDestinationMember>> member,
        Expression<Func<TSource, TSourceMember>> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var name = MemberName(member);
        _config.Update<TSource, TDestination>(settings =>
        {
            settings.Ignored.Remove(name);
            settings.Maps[name] = source;
        });
        return this;
    }

    /// <summary>Leaves destination members untouched (they count as mapped for validation).</summary>
    public TypeAdapterSetter<TSource, TDestination> Ignore(params Expression<Func<TDestination, object?>>[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var names = members.Select(MemberName).ToList();
        _config.Update<TSource, TDestination>(settings =>
        {
            foreach (var name in names)
            {
                settings.Maps.Remove(name);
                settings.Ignored.Add(name);
            }
        });
        return this;
    }

    /// <summary>How enum members of this pair (and this pair itself, if both are enums) are converted.</summary>
    public TypeAdapterSetter<TSource, TDestination> EnumMappingStrategy(EnumMappingStrategy strategy)
    {
        _config.Update<TSource, TDestination>(settings => settings.EnumStrategy = strategy);
        return this;
    }

    /// <summary>Creates the destination (for types without a parameterless constructor); members are mapped afterwards.</summary>
    public TypeAdapterSetter<TSource, TDestination> ConstructUsing(Expression<Func<TSource, TDestination>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _config.Update<TSource, TDestination>(settings => settings.Factory = factory);
        return this;
    }

    private static string MemberName(LambdaExpression member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var body = member.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : member.Body;
        if (body is MemberExpression { Member: PropertyInfo or FieldInfo } access && access.Expression == member.Parameters[0])
        {
            return access.Member.Name;
        }

        throw new ArgumentException(
            $"A destination member of {typeof(TDestination).Name} must be written as dest => dest.Member, not {member}.", nameof(member));
    }
}

/// <summary>The recorded rules of one pair; copied on read so builds never see a half-applied change.</summary>
internal sealed class PairSettings
{
    public Dictionary<string, LambdaExpression> Maps { get; private init; } = new(StringComparer.Ordinal);

    public HashSet<string> Ignored { get; private init; } = new(StringComparer.Ordinal);

    public EnumMappingStrategy? EnumStrategy { get; set; }

    public LambdaExpression? Factory { get; set; }

    public PairSettings Clone() => new()
    {
        Maps = new Dictionary<string, LambdaExpression>(Maps, StringComparer.Ordinal),
        Ignored = new HashSet<string>(Ignored, StringComparer.Ordinal),
        EnumStrategy = EnumStrategy,
        Factory = Factory,
    };
}
