using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace NanoBanana.BuildingBlocks.Observability;

/// <summary>
/// A small in-process metrics registry rendered in the Prometheus text format (prometheus-net is not
/// restorable here). One singleton per Host; modules add their own families, e.g.
/// <c>metrics.Gauge("outbox_parked", "Messages parked after too many attempts", "module")</c>.
/// Registering an existing name again returns the existing family.
/// </summary>
public sealed class Metrics
{
    private readonly Lock _gate = new();
    private readonly List<MetricFamily> _families = [];
    private readonly List<Action> _beforeRender = [];

    public Counter Counter(string name, string help, params string[] labelNames) =>
        Register(name, () => new Counter(name, help, labelNames));

    public Gauge Gauge(string name, string help, params string[] labelNames) =>
        Register(name, () => new Gauge(name, help, labelNames));

    public Histogram Histogram(string name, string help, IReadOnlyList<double> buckets, params string[] labelNames) =>
        Register(name, () => new Histogram(name, help, buckets, labelNames));

    /// <summary>Runs <paramref name="collect"/> before every render (to sample observable values).</summary>
    public void BeforeRender(Action collect)
    {
        lock (_gate)
        {
            _beforeRender.Add(collect);
        }
    }

    /// <summary>The exposition text (format version 0.0.4).</summary>
    public string Render()
    {
        Action[] collectors;
        lock (_gate)
        {
            collectors = [.. _beforeRender];
        }

        foreach (var collect in collectors)
        {
            collect();
        }

        MetricFamily[] families;
        lock (_gate)
        {
            families = [.. _families];
        }

        var text = new StringBuilder();
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(family.Help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            family.Render(text);
        }

        return text.ToString();
    }

    private T Register<T>(string name, Func<T> create)
        where T : MetricFamily
    {
        lock (_gate)
        {
            foreach (var existing in _families)
            {
                if (existing.Name == name)
                {
                    return existing as T ?? throw new InvalidOperationException($"Metric {name} is already registered as a {existing.Type}.");
                }
            }

            var family = create();
            _families.Add(family);
            return family;
        }
    }
}

/// <summary>A named metric with label names; children hold the values of each label combination.</summary>
public abstract class MetricFamily
{
    private protected MetricFamily(string name, string help, string type, string[] labelNames)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':') || char.IsAsciiDigit(name[0]))
        {
            throw new ArgumentException($"'{name}' is not a valid metric name.", nameof(name));
        }

        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    public string Type { get; }

    public IReadOnlyList<string> LabelNames { get; }

    internal abstract void Render(StringBuilder text);

    private protected string LabelKey(string[] values)
    {
        if (values.Length != LabelNames.Count)
        {
            throw new ArgumentException($"Metric {Name} takes {LabelNames.Count} label values, got {values.Length}.");
        }

        return string.Join('\u001f', values);
    }

    private protected void AppendLabels(StringBuilder text, string[] values, string? extraName = null, string? extraValue = null)
    {
        if (values.Length == 0 && extraName is null)
        {
            return;
        }

        text.Append('{');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(LabelNames[i]).Append("=\"").Append(EscapeLabel(values[i])).Append('"');
        }

        if (extraName is not null)
        {
            text.Append(values.Length > 0 ? "," : "").Append(extraName).Append("=\"").Append(extraValue).Append('"');
        }

        text.Append('}');
    }

    private protected static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString(CultureInfo.InvariantCulture);

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>Family base that keeps one child per label combination.</summary>
public abstract class MetricFamily<TChild> : MetricFamily
    where TChild : class
{
    private readonly ConcurrentDictionary<string, (string[] Values, TChild Child)> _children = new();

    private protected MetricFamily(string name, string help, string type, string[] labelNames)
        : base(name, help, type, labelNames)
    {
    }

    /// <summary>The child for these label values; cache it on hot paths.</summary>
    public TChild WithLabels(params string[] values) =>
        _children.GetOrAdd(LabelKey(values), static (_, state) => ([.. state.values], state.family.CreateChild()), (values, family: this)).Child;

    private protected abstract TChild CreateChild();

    private protected abstract void RenderChild(StringBuilder text, string[] values, TChild child);

    internal sealed override void Render(StringBuilder text)
    {
        foreach (var (values, child) in _children.Values.OrderBy(entry => string.Join('\u001f', entry.Values), StringComparer.Ordinal))
        {
            RenderChild(text, values, child);
        }
    }
}

public sealed class Counter : MetricFamily<Counter.Child>
{
    internal Counter(string name, string help, string[] labelNames)
        : base(name, help, "counter", labelNames)
    {
    }

    public void Inc(double amount = 1) => WithLabels().Inc(amount);

    private protected override Child CreateChild() => new();

    private protected override void RenderChild(StringBuilder text, string[] values, Child child)
    {
        text.Append(Name);
        AppendLabels(text, values);
        text.Append(' ').Append(Format(child.Value)).Append('\n');
    }

    public sealed class Child
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Inc(double amount = 1)
        {
            if (amount < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(amount), "A counter only goes up.");
            }

            AtomicDouble.Add(ref _value, amount);
        }
    }
}

public sealed class Gauge : MetricFamily<Gauge.Child>
{
    internal Gauge(string name, string help, string[] labelNames)
        : base(name, help, "gauge", labelNames)
    {
    }

    public void Set(double value) => WithLabels().Set(value);

    private protected override Child CreateChild() => new();

    private protected override void RenderChild(StringBuilder text, string[] values, Child child)
    {
        text.Append(Name);
        AppendLabels(text, values);
        text.Append(' ').Append(Format(child.Value)).Append('\n');
    }

    public sealed class Child
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Set(double value) => Volatile.Write(ref _value, value);

        public void Inc(double amount = 1) => AtomicDouble.Add(ref _value, amount);

        public void Dec(double amount = 1) => AtomicDouble.Add(ref _value, -amount);
    }
}

public sealed class Histogram : MetricFamily<Histogram.Child>
{
    /// <summary>Latency buckets in seconds, from 1 ms to 10 s.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;

    internal Histogram(string name, string help, IReadOnlyList<double> buckets, string[] labelNames)
        : base(name, help, "histogram", labelNames)
    {
        _bounds = [.. buckets.Order()];
        if (_bounds.Length == 0 || _bounds.Distinct().Count() != _bounds.Length)
        {
            throw new ArgumentException("A histogram needs distinct bucket bounds.", nameof(buckets));
        }
    }

    private protected override Child CreateChild() => new(_bounds);

    private protected override void RenderChild(StringBuilder text, string[] values, Child child)
    {
        long cumulative = 0;
        for (var i = 0; i <= _bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref child.Counts[i]);
            text.Append(Name).Append("_bucket");
            AppendLabels(text, values, "le", i < _bounds.Length ? Format(_bounds[i]) : "+Inf");
            text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append(Name).Append("_sum");
        AppendLabels(text, values);
        text.Append(' ').Append(Format(child.Sum)).Append('\n');
        text.Append(Name).Append("_count");
        AppendLabels(text, values);
        text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public sealed class Child
    {
        private readonly double[] _bounds;
        private double _sum;

        internal Child(double[] bounds)
        {
            _bounds = bounds;
            Counts = new long[bounds.Length + 1];
        }

        public double Sum => Volatile.Read(ref _sum);

        internal long[] Counts { get; }

        public void Observe(double value)
        {
            var index = Array.BinarySearch(_bounds, value);
            Interlocked.Increment(ref Counts[index >= 0 ? index : ~index]);
            AtomicDouble.Add(ref _sum, value);
        }
    }
}

internal static class AtomicDouble
{
    public static void Add(ref double target, double amount)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + amount, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }
}
