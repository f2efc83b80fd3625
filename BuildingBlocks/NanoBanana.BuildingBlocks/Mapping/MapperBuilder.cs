using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using static System.Linq.Expressions.Expression;
using Enum = System.Enum;
using Type = System.Type;

namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>
/// Builds the expression tree of one pair. Problems are collected, not thrown one by one, so a single
/// error names every unmapped member of the pair.
/// </summary>
internal sealed class MapperBuilder(TypeAdapterConfig config, TypePair root)
{
    private readonly List<string> _problems = [];
    private readonly HashSet<TypePair> _nested = [];
    private readonly PairSettings _rootSettings = config.SettingsOf(root) ?? new PairSettings();
    private bool _rootInlined;
    private string _member = string.Empty;

    /// <summary>Pairs the built mapper calls into (validated by <see cref="TypeAdapterConfig.Compile"/>).</summary>
    public IReadOnlyCollection<TypePair> Nested => _nested;

    public static string TypeName(Type type) => type switch
    {
        { IsArray: true } => $"{TypeName(type.GetElementType()!)}[]",
        { IsGenericType: true } => $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>",
        _ => type.Name,
    };

    public static Delegate FromObject(TypePair pair, Delegate typed)
    {
        var source = Parameter(typeof(object), "source");
        var body = Invoke(Constant(typed), Convert(source, pair.Source));
        return Lambda(typeof(Func<,>).MakeGenericType(typeof(object), pair.Destination), body, source).Compile();
    }

    public LambdaExpression Build(MapperKind kind)
    {
        var (sourceType, destinationType) = root;
        var source = Parameter(sourceType, "source");
        var target = new Target(IsProto(destinationType), _rootSettings.EnumStrategy ?? EnumMappingStrategy.ByValue);
        LambdaExpression lambda;
        if (kind == MapperKind.Onto && IsObject(destinationType))
        {
            var destination = Parameter(destinationType, "destination");
            lambda = Lambda(typeof(Func<,,>).MakeGenericType(sourceType, destinationType, destinationType), OntoBody(source, destination), source, destination);
        }
        else if (kind == MapperKind.Onto)
        {
            // Values and collections have no identity to preserve: the new value replaces the old one.
            var destination = Parameter(destinationType, "destination");
            lambda = Lambda(typeof(Func<,,>).MakeGenericType(sourceType, destinationType, destinationType), ConvertValue(source, destinationType, target), source, destination);
        }
        else
        {
            lambda = Lambda(typeof(Func<,>).MakeGenericType(sourceType, destinationType), ConvertValue(source, destinationType, target), source);
        }

        if (_problems.Count > 0)
        {
            throw new MappingConfigurationException($"Cannot map {root}:{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", _problems)}");
        }

        return lambda;
    }

    private Expression OntoBody(ParameterExpression source, ParameterExpression destination)
    {
        // No object to copy onto: behave like Adapt<TDestination>().
        var create = Call(Constant(NestedMapperOf(root)), NestedMapMethod(root), source);
        var done = Label(destination.Type, "done");
        Expression body = Block(
        [
            IfThen(IsNull(destination), Return(done, create)),
            .. AssignMembers(source, destination),
            Label(done, destination),
        ]);
        return CanBeNull(source.Type) ? Condition(IsNull(source), destination, body, destination.Type) : body;
    }

    /// <summary>Any value to the destination type, null-safe.</summary>
    private Expression ConvertValue(Expression value, Type destination, Target target)
    {
        var source = value.Type;
        if (source == destination && IsValue(source))
        {
            return target.Proto && source == typeof(string) ? Coalesce(value, Constant(string.Empty))
                : target.Proto && source == typeof(ByteString) ? Coalesce(value, Constant(ByteString.Empty))
                : value;
        }

        var destinationCore = Nullable.GetUnderlyingType(destination) ?? destination;
        var sourceCore = Nullable.GetUnderlyingType(source) ?? source;
        if (!CanBeNull(source))
        {
            return Widen(ConvertNonNull(value, destinationCore, target), destination);
        }

        var held = Variable(source, "value");
        var present = sourceCore != source ? Property(held, nameof(Nullable<int>.Value)) : (Expression)held;
        var converted = Widen(ConvertNonNull(present, destinationCore, target), destination);
        return Block(
            destination,
            [held],
            Assign(held, value),
            Condition(IsNull(held), NullValue(destination, target), converted, destination));
    }

    private static Expression Widen(Expression value, Type destination) => value.Type == destination ? value : Convert(value, destination);

    private static Expression NullValue(Type destination, Target target) =>
        target.Proto && destination == typeof(string) ? Constant(string.Empty)
        : target.Proto && destination == typeof(ByteString) ? Constant(ByteString.Empty)
        : Default(destination);

    private Expression ConvertNonNull(Expression value, Type destination, Target target)
    {
        var source = value.Type;
        if (source == destination && IsValue(source))
        {
            return value;
        }

        if (source.IsEnum && destination.IsEnum)
        {
            return ConvertEnum(value, destination, config.SettingsOf(new TypePair(source, destination))?.EnumStrategy ?? target.EnumStrategy);
        }

        if (IsNumber(source) && IsNumber(destination))
        {
            // Checked: a value that does not fit fails loudly instead of wrapping around.
            return ConvertChecked(value, destination);
        }

        if (WellKnown(value, destination) is { } wellKnown)
        {
            return wellKnown;
        }

        if (IsDictionary(destination, out var key, out var item) && PairsOf(source) is { } sourcePair)
        {
            var concrete = destination.IsGenericType && destination.GetGenericTypeDefinition() == typeof(MapField<,>)
                ? destination
                : typeof(Dictionary<,>).MakeGenericType(key, item);
            return NewCollection(value, concrete, destination, sourcePair, target);
        }

        if (IsSequence(destination, out var element) && ElementOf(source) is { } sourceElement)
        {
            var concrete = destination.IsGenericType && destination.GetGenericTypeDefinition() == typeof(RepeatedField<>)
                ? destination
                : typeof(List<>).MakeGenericType(element);
            var list = NewCollection(value, concrete, destination, sourceElement, target);
            return destination.IsArray ? Call(list, concrete.GetMethod(nameof(List<int>.ToArray))!) : list;
        }

        if ((destination == typeof(object) || destination.IsInterface || destination.IsAbstract) && destination.IsAssignableFrom(source))
        {
            return Convert(value, destination);
        }

        if (source == destination && value is NewExpression or MemberInitExpression)
        {
            // A Map rule that builds the object itself: it is fresh, no copy needed.
            return value;
        }

        if (IsObject(destination) && !IsValue(source) && ElementOf(source) is null)
        {
            return ConvertObject(value, destination);
        }

        if (destination.IsAssignableFrom(source))
        {
            return Convert(value, destination);
        }

        Problem($"cannot convert {TypeName(source)} to {TypeName(destination)}");
        return Default(destination);
    }

    private Expression ConvertObject(Expression value, Type destination)
    {
        var pair = new TypePair(value.Type, destination);
        if (pair == root && !_rootInlined)
        {
            _rootInlined = true;
            return NewObject(value, destination);
        }

        return Call(Constant(NestedMapperOf(pair)), NestedMapMethod(pair), value);
    }

    private object NestedMapperOf(TypePair pair)
    {
        _nested.Add(pair);
        return config.NestedMapper(pair);
    }

    private static MethodInfo NestedMapMethod(TypePair pair) =>
        typeof(NestedMapper<,>).MakeGenericType(pair.Source, pair.Destination).GetMethod(nameof(NestedMapper<int, int>.Map))!;

    private BlockExpression NewObject(Expression source, Type destinationType)
    {
        var destination = Variable(destinationType, "destination");
        Expression create;
        if (_rootSettings.Factory is { } factory)
        {
            create = Inline(factory, source);
        }
        else if (destinationType.IsValueType || destinationType.GetConstructor(Type.EmptyTypes) is not null)
        {
            create = New(destinationType);
        }
        else
        {
            Problem($"{TypeName(destinationType)} has no parameterless constructor; give one with .ConstructUsing(src => new ...)");
            create = Default(destinationType);
        }

        return Block(destinationType, [destination], [Assign(destination, create), .. AssignMembers(source, destination), destination]);
    }

    private List<Expression> AssignMembers(Expression source, Expression destination)
    {
        var sourceMembers = new Dictionary<string, MemberInfo>(StringComparer.Ordinal);
        foreach (var member in ReadableMembers(source.Type))
        {
            sourceMembers.TryAdd(Normalize(member.Name), member);
        }

        var target = new Target(IsProto(destination.Type), _rootSettings.EnumStrategy ?? EnumMappingStrategy.ByValue);
        var members = DestinationMembers(destination.Type);
        var names = members.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in _rootSettings.Maps.Keys.Concat(_rootSettings.Ignored).Where(n => !names.Contains(n)))
        {
            _member = stray;
            Problem("is not a writable member (or get-only repeated/map field) of the destination");
        }

        var assignments = new List<Expression>();
        foreach (var member in members)
        {
            _member = member.Name;
            if (_rootSettings.Ignored.Contains(member.Name))
            {
                continue;
            }

            Expression? value = _rootSettings.Maps.TryGetValue(member.Name, out var rule) ? Inline(rule, source)
                : sourceMembers.TryGetValue(Normalize(member.Name), out var sourceMember) ? MakeMemberAccess(source, sourceMember)
                : null;
            if (value is null)
            {
                Problem($"has no source member; map it with .Map(dest => dest.{member.Name}, src => ...) or .Ignore(dest => dest.{member.Name})");
                continue;
            }

            var access = MakeMemberAccess(destination, member);
            assignments.Add(member is PropertyInfo property && property.SetMethod?.IsPublic != true
                ? RefillInPlace(access, value, target)
                : Assign(access, ConvertValue(value, access.Type, target)));
        }

        _member = string.Empty;
        return assignments;
    }

    /// <summary>Proto repeated and map fields are get-only: clear them and add the items.</summary>
    private Expression RefillInPlace(Expression collection, Expression value, Target target)
    {
        var sourceItem = collection.Type.GetGenericTypeDefinition() == typeof(MapField<,>) ? PairsOf(value.Type) : ElementOf(value.Type);
        if (sourceItem is null)
        {
            Problem($"cannot fill {TypeName(collection.Type)} from {TypeName(value.Type)}");
            return Empty();
        }

        var held = Variable(value.Type, "items");
        var fill = AddAll(held, collection, sourceItem, target with { Proto = true });
        return Block(
            [held],
            Assign(held, value),
            Call(collection, collection.Type.GetMethod(nameof(List<int>.Clear))!),
            CanBeNull(value.Type) ? IfThen(Not(IsNull(held)), fill) : fill);
    }

    private BlockExpression NewCollection(Expression value, Type concrete, Type destination, Type sourceItem, Target target)
    {
        var collection = Variable(concrete, "collection");
        var itemTarget = target with { Proto = IsProtoCollection(concrete) };
        return Block(
            concrete == destination || destination.IsArray ? concrete : destination,
            [collection],
            Assign(collection, New(concrete)),
            AddAll(value, collection, sourceItem, itemTarget),
            concrete == destination || destination.IsArray ? collection : Convert(collection, destination));
    }

    private BlockExpression AddAll(Expression items, Expression collection, Type sourceItem, Target target)
    {
        var arguments = collection.Type.GetGenericArguments();
        if (arguments.Length == 2)
        {
            var indexer = collection.Type.GetProperty("Item", [arguments[0]])!;
            return ForEach(items, sourceItem, pair => Assign(
                Property(collection, indexer, ConvertValue(Property(pair, "Key"), arguments[0], target)),
                ConvertValue(Property(pair, "Value"), arguments[1], target)));
        }

        var add = collection.Type.GetMethod("Add", [arguments[0]])!;
        return ForEach(items, sourceItem, item => Call(collection, add, ConvertValue(item, arguments[0], target)));
    }

    private static BlockExpression ForEach(Expression items, Type itemType, Func<Expression, Expression> body)
    {
        var enumerableType = typeof(IEnumerable<>).MakeGenericType(itemType);
        var enumeratorType = typeof(IEnumerator<>).MakeGenericType(itemType);
        var enumerator = Variable(enumeratorType, "enumerator");
        var item = Variable(itemType, "item");
        var end = Label("end");
        return Block(
            [enumerator],
            Assign(enumerator, Call(Convert(items, enumerableType), enumerableType.GetMethod(nameof(IEnumerable.GetEnumerator))!)),
            TryFinally(
                Loop(
                    IfThenElse(
                        Call(enumerator, typeof(IEnumerator).GetMethod(nameof(IEnumerator.MoveNext))!),
                        Block([item], Assign(item, Property(enumerator, nameof(IEnumerator.Current))), body(item)),
                        Break(end)),
                    end),
                Call(enumerator, typeof(IDisposable).GetMethod(nameof(IDisposable.Dispose))!)));
    }

    private Expression ConvertEnum(Expression value, Type destination, EnumMappingStrategy strategy)
    {
        var source = value.Type;
        if (strategy == EnumMappingStrategy.ByValue)
        {
            var sourceUnderlying = Enum.GetUnderlyingType(source);
            var destinationUnderlying = Enum.GetUnderlyingType(destination);
            return Convert(ConvertChecked(Convert(value, sourceUnderlying), destinationUnderlying), destination);
        }

        var destinationByName = Enum.GetNames(destination).ToDictionary(n => n, n => Enum.Parse(destination, n), StringComparer.OrdinalIgnoreCase);
        var cases = Enum.GetValues(source).Cast<object>().Distinct()
            .Select(v => (Value: v, Name: Enum.GetName(source, v)!))
            .Where(v => destinationByName.ContainsKey(v.Name))
            .Select(v => SwitchCase(Constant(destinationByName[v.Name], destination), Constant(v.Value, source)))
            .ToArray();
        var unmatched = Call(typeof(MappingRuntime).GetMethod(nameof(MappingRuntime.UnmatchedEnum))!.MakeGenericMethod(destination), Convert(value, typeof(object)));
        return cases.Length == 0 ? unmatched : Switch(value, unmatched, cases);
    }

    private static MethodCallExpression? WellKnown(Expression value, Type destination)
    {
        var source = value.Type;
        return (source, destination) switch
        {
            _ when source == typeof(DateTimeOffset) && destination == typeof(Timestamp) => Call(typeof(Timestamp).GetMethod(nameof(Timestamp.FromDateTimeOffset))!, value),
            _ when source == typeof(DateTime) && destination == typeof(Timestamp) => Call(typeof(MappingRuntime).GetMethod(nameof(MappingRuntime.ToTimestamp))!, value),
            _ when source == typeof(Timestamp) && destination == typeof(DateTimeOffset) => Call(value, typeof(Timestamp).GetMethod(nameof(Timestamp.ToDateTimeOffset))!),
            _ when source == typeof(Timestamp) && destination == typeof(DateTime) => Call(value, typeof(Timestamp).GetMethod(nameof(Timestamp.ToDateTime))!),
            _ when source == typeof(TimeSpan) && destination == typeof(Duration) => Call(typeof(Duration).GetMethod(nameof(Duration.FromTimeSpan))!, value),
            _ when source == typeof(Duration) && destination == typeof(TimeSpan) => Call(value, typeof(Duration).GetMethod(nameof(Duration.ToTimeSpan))!),
            _ when source == typeof(byte[]) && destination == typeof(ByteString) => Call(typeof(ByteString).GetMethod(nameof(ByteString.CopyFrom), [typeof(byte[])])!, value),
            _ when source == typeof(ByteString) && destination == typeof(byte[]) => Call(value, typeof(ByteString).GetMethod(nameof(ByteString.ToByteArray))!),
            _ => null,
        };
    }

    private static Expression Inline(LambdaExpression rule, Expression source) => new ParameterReplacer(rule.Parameters[0], source).Visit(rule.Body);

    private void Problem(string text) => _problems.Add(_member.Length == 0 ? text : $"{_member}: {text}");

    private static List<MemberInfo> DestinationMembers(Type type) =>
    [
        .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod?.IsPublic == true || (p.CanRead && IsProtoCollection(p.PropertyType))))
            .OrderBy(p => p.MetadataToken),
        .. type.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => !f.IsInitOnly && !f.IsLiteral),
    ];

    private static IEnumerable<MemberInfo> ReadableMembers(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod?.IsPublic == true)
            .Cast<MemberInfo>()
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance));

    /// <summary>Case and underscores ignored: protoc's C# names (<c>Model_</c> for a clash) match our PascalCase.</summary>
    private static string Normalize(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    private static bool IsProto(Type type) => typeof(IMessage).IsAssignableFrom(type);

    private static bool IsProtoCollection(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(RepeatedField<>) || type.GetGenericTypeDefinition() == typeof(MapField<,>));

    private static bool CanBeNull(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    private static Expression IsNull(Expression value) =>
        value.Type.IsValueType ? Not(Property(value, nameof(Nullable<int>.HasValue))) : ReferenceEqual(value, Constant(null, value.Type));

    /// <summary>Copied as is: value types and immutable references.</summary>
    private static bool IsValue(Type type) => type.IsValueType || type == typeof(string) || type == typeof(ByteString);

    /// <summary>Mapped member by member: classes that are neither immutable values nor collections.</summary>
    private static bool IsObject(Type type) =>
        !IsValue(type) && !typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(object) && !type.IsInterface && !type.IsAbstract;

    private static bool IsNumber(Type type) => type.IsEnum || Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;

    private static Type? ElementOf(Type type) =>
        type == typeof(string) ? null
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type.GetGenericArguments()[0]
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Type? PairsOf(Type type) =>
        ElementOf(type) is { IsGenericType: true } element && element.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) ? element : null;

    private static readonly Type[] SequenceDefinitions =
        [typeof(RepeatedField<>), typeof(List<>), typeof(IEnumerable<>), typeof(ICollection<>), typeof(IList<>), typeof(IReadOnlyList<>), typeof(IReadOnlyCollection<>)];

    private static readonly Type[] DictionaryDefinitions = [typeof(MapField<,>), typeof(Dictionary<,>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>)];

    private static bool IsSequence(Type type, out Type element)
    {
        element = type.IsArray ? type.GetElementType()! : type.IsGenericType && SequenceDefinitions.Contains(type.GetGenericTypeDefinition()) ? type.GetGenericArguments()[0] : null!;
        return element is not null;
    }

    private static bool IsDictionary(Type type, out Type key, out Type value)
    {
        var match = type.IsGenericType && DictionaryDefinitions.Contains(type.GetGenericTypeDefinition());
        key = match ? type.GetGenericArguments()[0] : null!;
        value = match ? type.GetGenericArguments()[1] : null!;
        return match;
    }

    /// <summary>What the values written into the destination must respect.</summary>
    private readonly record struct Target(bool Proto, EnumMappingStrategy EnumStrategy);

    private sealed class ParameterReplacer(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
    }
}
