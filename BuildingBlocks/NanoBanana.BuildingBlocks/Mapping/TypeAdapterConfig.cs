using System.Collections.Concurrent;
using System.Reflection;

namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>
/// Mapping rules and the compiled mappers (Mapster's <c>TypeAdapterConfig</c>). Each source → destination
/// pair is built once into an expression tree, compiled, and cached; any rule change drops the cache.
/// Unlike Mapster's default, every destination member must have a source (or be ignored).
/// </summary>
public sealed class TypeAdapterConfig
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TypePair, PairSettings> _settings = [];
    private volatile MapperCache _cache;

    public TypeAdapterConfig() => _cache = new MapperCache(this);

    /// <summary>The configuration the parameterless <c>Adapt</c> overloads use.</summary>
    public static TypeAdapterConfig GlobalSettings { get; } = new();

    /// <summary>Starts the rules of a pair afresh (dropping earlier ones).</summary>
    public TypeAdapterSetter<TSource, TDestination> NewConfig<TSource, TDestination>()
    {
        lock (_gate)
        {
            _settings[TypePair.Of<TSource, TDestination>()] = new PairSettings();
            _cache = new MapperCache(this);
        }

        return new TypeAdapterSetter<TSource, TDestination>(this);
    }

    /// <summary>Adds to the rules of a pair, keeping earlier ones.</summary>
    public TypeAdapterSetter<TSource, TDestination> ForType<TSource, TDestination>()
    {
        lock (_gate)
        {
            _settings.TryAdd(TypePair.Of<TSource, TDestination>(), new PairSettings());
        }

        return new TypeAdapterSetter<TSource, TDestination>(this);
    }

    /// <summary>Applies every <see cref="IRegister"/> class of the assemblies (they need a parameterless constructor).</summary>
    public IList<IRegister> Scan(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var registers = assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(IRegister).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IRegister)Activator.CreateInstance(t)!)
            .ToList();
        Apply(registers);
        return registers;
    }

    /// <summary>
    /// Runs the registers against a scratch configuration and swaps their pairs in at once, so mappers
    /// built concurrently (parallel hosts in tests) never see a pair's rules half-applied.
    /// </summary>
    public void Apply(IEnumerable<IRegister> registers)
    {
        ArgumentNullException.ThrowIfNull(registers);
        var scratch = new TypeAdapterConfig();
        foreach (var register in registers)
        {
            register.Register(scratch);
        }

        lock (_gate)
        {
            lock (scratch._gate)
            {
                foreach (var (pair, settings) in scratch._settings)
                {
                    _settings[pair] = settings.Clone();
                }
            }

            _cache = new MapperCache(this);
        }
    }

    /// <summary>
    /// Builds every configured pair and every pair reachable from them, and throws one
    /// <see cref="MappingConfigurationException"/> listing all problems (unmapped destination members first of all).
    /// </summary>
    public void Compile()
    {
        List<TypePair> configured;
        lock (_gate)
        {
            configured = [.. _settings.Keys];
        }

        var cache = _cache;
        var pending = new Queue<TypePair>(configured);
        var seen = new HashSet<TypePair>(configured);
        var problems = new List<string>();
        while (pending.TryDequeue(out var pair))
        {
            try
            {
                foreach (var nested in cache.Get(new MapperKey(pair, MapperKind.New)).Nested.Where(seen.Add))
                {
                    pending.Enqueue(nested);
                }
            }
            catch (MappingConfigurationException e)
            {
                problems.Add(e.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new MappingConfigurationException(string.Join(Environment.NewLine, problems));
        }
    }

    internal void Update<TSource, TDestination>(Action<PairSettings> change)
    {
        lock (_gate)
        {
            var pair = TypePair.Of<TSource, TDestination>();
            if (!_settings.TryGetValue(pair, out var settings))
            {
                _settings[pair] = settings = new PairSettings();
            }

            change(settings);
            _cache = new MapperCache(this);
        }
    }

    internal PairSettings? SettingsOf(TypePair pair)
    {
        lock (_gate)
        {
            return _settings.TryGetValue(pair, out var settings) ? settings.Clone() : null;
        }
    }

    internal Func<TSource, TDestination> GetMapper<TSource, TDestination>() =>
        (Func<TSource, TDestination>)_cache.Get(new MapperKey(TypePair.Of<TSource, TDestination>(), MapperKind.New)).Mapper;

    internal Func<TSource, TDestination, TDestination> GetMapperOnto<TSource, TDestination>() =>
        (Func<TSource, TDestination, TDestination>)_cache.Get(new MapperKey(TypePair.Of<TSource, TDestination>(), MapperKind.Onto)).Mapper;

    internal Func<object, TDestination> GetMapperFromObject<TDestination>(Type sourceType) =>
        (Func<object, TDestination>)_cache.Get(new MapperKey(new TypePair(sourceType, typeof(TDestination)), MapperKind.FromObject)).Mapper;

    internal object NestedMapper(TypePair pair) => _cache.Nested(pair);
}

internal readonly record struct TypePair(Type Source, Type Destination)
{
    public static TypePair Of<TSource, TDestination>() => new(typeof(TSource), typeof(TDestination));

    public override string ToString() => $"{MapperBuilder.TypeName(Source)} → {MapperBuilder.TypeName(Destination)}";
}

internal enum MapperKind
{
    New,
    Onto,
    FromObject,
}

internal readonly record struct MapperKey(TypePair Pair, MapperKind Kind);

internal sealed record BuiltMapper(Delegate Mapper, IReadOnlyCollection<TypePair> Nested);

/// <summary>The compiled mappers of one version of the rules. Lazy makes concurrent first calls compile once.</summary>
internal sealed class MapperCache(TypeAdapterConfig config)
{
    private readonly ConcurrentDictionary<MapperKey, Lazy<BuiltMapper>> _mappers = new();
    private readonly ConcurrentDictionary<TypePair, object> _nested = new();

    public BuiltMapper Get(MapperKey key) =>
        _mappers.GetOrAdd(key, k => new Lazy<BuiltMapper>(() => Build(k), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    public object Nested(TypePair pair) =>
        _nested.GetOrAdd(pair, p => Activator.CreateInstance(typeof(NestedMapper<,>).MakeGenericType(p.Source, p.Destination), config)!);

    private BuiltMapper Build(MapperKey key)
    {
        if (key.Kind == MapperKind.FromObject)
        {
            // Reuse the typed mapper behind a cast instead of compiling the same body twice.
            var typed = Get(key with { Kind = MapperKind.New });
            return new BuiltMapper(MapperBuilder.FromObject(key.Pair, typed.Mapper), typed.Nested);
        }

        var builder = new MapperBuilder(config, key.Pair);
        var lambda = builder.Build(key.Kind);
        return new BuiltMapper(lambda.Compile(), builder.Nested);
    }
}

/// <summary>Called from compiled code for a nested pair; resolves its mapper on first use, which allows recursive types.</summary>
internal sealed class NestedMapper<TSource, TDestination>(TypeAdapterConfig config)
{
    private Func<TSource, TDestination>? _map;

    public TDestination Map(TSource source) => (_map ??= config.GetMapper<TSource, TDestination>())(source);
}
