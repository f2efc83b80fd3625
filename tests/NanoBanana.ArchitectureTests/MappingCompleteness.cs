using System.Collections;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Mapster;
using Mapster.Models;

namespace NanoBanana.ArchitectureTests;

/// <summary>
/// Maps a source with every member set (domain types by reflection, messages by their descriptor) and
/// lists every destination field that came back default: a forgotten field, a source that never fills
/// it, a get-only repeated field Mapster left empty, an Ignore on a message field. On domain destinations
/// the pair's ignored members are skipped (keys and timestamps the handlers set); a message leaves the
/// module complete, so nothing is skipped there.
/// </summary>
internal sealed class MappingCompleteness(TypeAdapterConfig config, IReadOnlyDictionary<string, object> contextParameters)
{
    private const int MaxDepth = 5;
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private int counter;

    /// <summary>The configured pairs with a product (NanoBanana) type on one side; the shared converters are not pairs of a module.</summary>
    public static IEnumerable<TypeTuple> ProductPairs(TypeAdapterConfig config) =>
        config.RuleMap.Keys
            .Where(pair => !pair.Source.IsEnum && !pair.Destination.IsEnum)
            .Where(pair => IsProduct(pair.Source) || IsProduct(pair.Destination));

    public static string Name(TypeTuple pair) => $"{pair.Source.FullName} -> {pair.Destination.FullName}";

    public IReadOnlyList<string> DefaultFields(TypeTuple pair, IReadOnlyDictionary<string, object>? sourceOverrides = null)
    {
        var source = Fill(pair.Source, 0, sourceOverrides ?? new Dictionary<string, object>());
        object? destination;
        using (var scope = new MapContextScope())
        {
            foreach (var (name, value) in contextParameters)
            {
                scope.Context.Parameters[name] = value;
            }

            destination = source.Adapt(pair.Source, pair.Destination, config);
        }

        var ignored = typeof(IMessage).IsAssignableFrom(pair.Destination)
            ? []
            : config.RuleMap[pair].Settings.Ignore.Keys.ToHashSet(StringComparer.Ordinal);
        var violations = new List<string>();
        Check(destination, pair.Destination.Name, ignored, violations, 0);
        return violations;
    }

    private static bool IsProduct(Type type) => type.Assembly.GetName().Name!.StartsWith(Architecture.Prefix, StringComparison.Ordinal);

    // ---- filling the source ----

    private object Fill(Type type, int depth, IReadOnlyDictionary<string, object> overrides)
    {
        counter++;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        switch (underlying)
        {
            case var t when t == typeof(string): return $"v{counter}";
            case var t when t == typeof(bool): return true;
            case var t when t.IsEnum: return Enum.GetValues(t).Cast<object>().Last();
            case var t when t == typeof(Guid): return Guid.CreateVersion7(Origin.AddHours(counter));
            case var t when t == typeof(DateTimeOffset): return Origin.AddHours(counter);
            case var t when t == typeof(DateTime): return Origin.AddHours(counter).UtcDateTime;
            case var t when t == typeof(byte[]): return new byte[] { 1, 2 };
            case var t when t.IsPrimitive || t == typeof(decimal): return Convert.ChangeType(counter, t, System.Globalization.CultureInfo.InvariantCulture);
            case var t when typeof(IMessage).IsAssignableFrom(t):
                var message = (IMessage)Activator.CreateInstance(t)!;
                FillMessage(message, depth);
                return message;
            case var t when t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>):
                var dictionary = (IDictionary)Activator.CreateInstance(t)!;
                dictionary.Add(Fill(t.GetGenericArguments()[0], depth + 1, overrides), Fill(t.GetGenericArguments()[1], depth + 1, overrides));
                return dictionary;
            case var t when t.IsGenericType && t.GetInterfaces().Append(t).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)):
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(t.GetGenericArguments()[0]))!;
                list.Add(Fill(t.GetGenericArguments()[0], depth + 1, overrides));
                return list;
            default: return FillObject(underlying, depth, overrides);
        }
    }

    private object FillObject(Type type, int depth, IReadOnlyDictionary<string, object> overrides)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"{type.Name} nests deeper than {MaxDepth} levels; the filler would not terminate.");
        }

        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        // The smallest constructor, but never a record's copy constructor.
        var constructor = type.GetConstructors(Instance)
            .Where(c => c.GetParameters() is not [{ } only] || only.ParameterType != type)
            .OrderBy(c => c.GetParameters().Length)
            .First();
        var instance = constructor.Invoke([.. constructor.GetParameters().Select(p => Fill(p.ParameterType, depth + 1, overrides))]);
        foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.GetSetMethod(nonPublic: true) is { } setter && property.GetIndexParameters().Length == 0)
            {
                var value = overrides.TryGetValue($"{type.Name}.{property.Name}", out var given) ? given : Fill(property.PropertyType, depth + 1, overrides);
                setter.Invoke(instance, [value]);
            }
        }

        return instance;
    }

    private void FillMessage(IMessage message, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.IsMap)
            {
                var entry = field.MessageType.Fields;
                ((IDictionary)field.Accessor.GetValue(message)).Add(FieldValue(entry.InFieldNumberOrder()[0], depth), FieldValue(entry.InFieldNumberOrder()[1], depth));
            }
            else if (field.IsRepeated)
            {
                ((IList)field.Accessor.GetValue(message)).Add(FieldValue(field, depth));
            }
            else
            {
                field.Accessor.SetValue(message, FieldValue(field, depth));
            }
        }
    }

    private object FieldValue(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => $"v{++counter}",
        FieldType.Bool => true,
        FieldType.Bytes => ByteString.CopyFrom(1, 2),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[^1].Number),
        FieldType.Message when field.MessageType.ClrType == typeof(Timestamp) => Timestamp.FromDateTimeOffset(Origin.AddHours(++counter)),
        FieldType.Message => Fill(field.MessageType.ClrType, depth + 1, new Dictionary<string, object>()),
        FieldType.Double => (double)++counter,
        FieldType.Float => (float)++counter,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)++counter,
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)++counter,
        FieldType.UInt32 or FieldType.Fixed32 => (uint)++counter,
        _ => ++counter,
    };

    // ---- checking the destination ----

    private static void Check(object? value, string path, HashSet<string> ignored, List<string> violations, int depth)
    {
        if (value is IMessage message)
        {
            CheckMessage(message, path, violations, depth);
            return;
        }

        foreach (var property in value!.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.GetSetMethod(nonPublic: true) is null || ignored.Contains(property.Name))
            {
                continue;
            }

            CheckValue(property.GetValue(value), $"{path}.{property.Name}", violations, depth);
        }
    }

    private static void CheckMessage(IMessage message, string path, List<string> violations, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            CheckValue(field.Accessor.GetValue(message), $"{path}.{field.Name}", violations, depth);
        }
    }

    private static void CheckValue(object? value, string path, List<string> violations, int depth)
    {
        var isDefault = value switch
        {
            null => true,
            string text => text.Length == 0,
            ByteString bytes => bytes.IsEmpty,
            byte[] bytes => bytes.Length == 0,
            bool flag => !flag,
            Timestamp stamp => stamp.Seconds == 0 && stamp.Nanos == 0,
            DateTimeOffset moment => moment == default,
            DateTime moment => moment == default,
            Guid id => id == Guid.Empty,
            IDictionary map => map.Count == 0,
            IList list => list.Count == 0,
            Enum or IConvertible => Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture) == 0,
            _ => false,
        };
        if (isDefault)
        {
            violations.Add($"{path} came back default");
        }
        else if (value is IList { Count: > 0 } items and not IDictionary)
        {
            CheckValue(items[0], $"{path}[0]", violations, depth + 1);
        }
        else if (depth < MaxDepth && value!.GetType() is { IsClass: true } type && IsProduct(type))
        {
            Check(value, path, new HashSet<string>(), violations, depth + 1);
        }
    }
}
