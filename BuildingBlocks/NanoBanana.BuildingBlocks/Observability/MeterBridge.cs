using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace NanoBanana.BuildingBlocks.Observability;

/// <summary>
/// Publishes the <see cref="System.Diagnostics.Metrics"/> instruments of our own meters (name prefix
/// <c>NanoBanana</c>, e.g. the outbox's <c>outbox_parked_total</c>) in the <see cref="Metrics"/>
/// registry, so code may use either API and everything shows on <c>/metrics</c>. Tags are not turned
/// into labels (measurements are aggregated per instrument); use <see cref="Metrics"/> directly for labels.
/// </summary>
public sealed class MeterBridge : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, Action<double>> _recorders = new();

    public MeterBridge(Metrics metrics, string meterPrefix = "NanoBanana")
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith(meterPrefix, StringComparison.Ordinal) && Recorder(metrics, instrument) is { } recorder)
                {
                    _recorders[instrument] = recorder;
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        _listener.Start();
        metrics.BeforeRender(_listener.RecordObservableInstruments);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value)
    {
        if (_recorders.TryGetValue(instrument, out var recorder))
        {
            recorder(value);
        }
    }

    private static Action<double>? Recorder(Metrics metrics, Instrument instrument)
    {
        var name = MetricName(instrument.Name);
        var help = instrument.Description ?? instrument.Name;
        // Observable instruments report current values (totals for observable counters): sampled as gauges at render.
        if (instrument.IsObservable)
        {
            return metrics.Gauge(name, help).Set;
        }

        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => metrics.Counter(name, help).WithLabels().Inc,
            UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double> => metrics.Gauge(name, help).WithLabels().Inc,
            Histogram<long> or Histogram<int> or Histogram<double> => metrics.Histogram(name, help, Histogram.LatencyBuckets).WithLabels().Observe,
            _ => null,
        };
    }

    private static string MetricName(string instrumentName)
    {
        var name = new StringBuilder(instrumentName.Length);
        foreach (var c in instrumentName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return name.ToString();
    }
}
