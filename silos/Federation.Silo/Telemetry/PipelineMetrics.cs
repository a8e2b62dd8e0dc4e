using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Federation.Grains.Diagnostics;

namespace Federation.Silo.Telemetry;

/// <summary>
/// What the silo's write and send pipelines have done, in the federation's meter (<see cref="FederationMetrics.MeterName"/>,
/// served at <c>GET /metrics</c>): the grain state writes of each group-commit storage and the transactions that committed
/// them, and the messages of each peer's batched transport and the HTTPS requests that carried them. The same totals the
/// silo logs every 10 s, read when the metrics are collected (nothing is counted twice on the hot path).
/// </summary>
/// <remarks>
/// Pipelines of the same storage or peer in one process (a sender replaced when the peer's roster entry changes, several
/// silos in a test host) are added up. A pipeline is counted while it lives (its owner is held weakly); one that is
/// disposed is retired with its last totals, which stay in the sum, so the counters never go down.
/// </remarks>
public static class PipelineMetrics
{
    private static readonly Meter s_meter = new(FederationMetrics.MeterName, "1.0");
    private static readonly ConditionalWeakTable<object, Source> s_storages = [];
    private static readonly ConditionalWeakTable<object, Source> s_senders = [];
    private static readonly Dictionary<(string Tag, string Value), (long Units, long Batches)> s_retiredStorages = [];
    private static readonly Dictionary<(string Tag, string Value), (long Units, long Batches)> s_retiredSenders = [];

    // Held while a pipeline moves from the live table to the retired totals, and while they are read.
    private static readonly Lock s_gate = new();

    static PipelineMetrics()
    {
        s_meter.CreateObservableCounter(
            "federation.storage.writes", () => Observe(s_storages, s_retiredStorages, t => t.Units), "{write}",
            "Grain state writes committed by this silo's group-commit storages, by storage.");
        s_meter.CreateObservableCounter(
            "federation.storage.transactions", () => Observe(s_storages, s_retiredStorages, t => t.Batches), "{transaction}",
            "Transactions that committed those writes, by storage.");
        s_meter.CreateObservableCounter(
            "federation.batches.messages", () => Observe(s_senders, s_retiredSenders, t => t.Units), "{message}",
            "Federation messages this silo sent in batches, by peer nation.");
        s_meter.CreateObservableCounter(
            "federation.batches.requests", () => Observe(s_senders, s_retiredSenders, t => t.Batches), "{request}",
            "HTTPS requests that carried those batches, by peer nation.");
    }

    /// <summary>Counts the writes and transactions of <paramref name="storage"/> (named <paramref name="name"/>) from <paramref name="totals"/>.</summary>
    public static void TrackStorage(object storage, string name, Func<(long Writes, long Transactions)> totals) =>
        s_storages.AddOrUpdate(storage, new Source("storage", name, totals));

    /// <summary>Counts the messages and requests of <paramref name="sender"/> to <paramref name="peer"/> from <paramref name="totals"/>.</summary>
    public static void TrackSender(object sender, string peer, Func<(long Messages, long Requests)> totals) =>
        s_senders.AddOrUpdate(sender, new Source("nation", peer, totals));

    /// <summary>Keeps the last totals of <paramref name="storage"/>, which is disposed, in the sum.</summary>
    public static void RetireStorage(object storage) => Retire(s_storages, s_retiredStorages, storage);

    /// <summary>Keeps the last totals of <paramref name="sender"/>, which is disposed, in the sum.</summary>
    public static void RetireSender(object sender) => Retire(s_senders, s_retiredSenders, sender);

    private static void Retire(ConditionalWeakTable<object, Source> sources, Dictionary<(string, string), (long Units, long Batches)> retired, object owner)
    {
        lock (s_gate)
        {
            if (sources.TryGetValue(owner, out var source) && sources.Remove(owner))
            {
                var last = source.Totals();
                var before = retired.GetValueOrDefault((source.Tag, source.Value));
                retired[(source.Tag, source.Value)] = (before.Units + last.Units, before.Batches + last.Batches);
            }
        }
    }

    private static IEnumerable<Measurement<long>> Observe(
        ConditionalWeakTable<object, Source> sources, Dictionary<(string Tag, string Value), (long Units, long Batches)> retired, Func<(long Units, long Batches), long> pick)
    {
        lock (s_gate)
        {
            var live = sources.Select(s => (Key: (s.Value.Tag, s.Value.Value), Count: pick(s.Value.Totals())));
            var gone = retired.Select(r => (r.Key, Count: pick(r.Value)));
            return [.. live.Concat(gone)
                .GroupBy(c => c.Key)
                .Select(g => new Measurement<long>(g.Sum(c => c.Count), new KeyValuePair<string, object?>(g.Key.Item1, g.Key.Item2)))];
        }
    }

    private sealed record Source(string Tag, string Value, Func<(long Units, long Batches)> Totals);
}
