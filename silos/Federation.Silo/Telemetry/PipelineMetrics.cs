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
/// Each pipeline is counted while it lives (its owner is held weakly); pipelines of the same storage or peer in one process
/// (several silos in a test host) are added up.
/// </remarks>
public static class PipelineMetrics
{
    private static readonly Meter s_meter = new(FederationMetrics.MeterName, "1.0");
    private static readonly ConditionalWeakTable<object, Source> s_storages = [];
    private static readonly ConditionalWeakTable<object, Source> s_senders = [];

    static PipelineMetrics()
    {
        s_meter.CreateObservableCounter(
            "federation.storage.writes", () => Observe(s_storages, t => t.Units), "{write}",
            "Grain state writes committed by this silo's group-commit storages, by storage.");
        s_meter.CreateObservableCounter(
            "federation.storage.transactions", () => Observe(s_storages, t => t.Batches), "{transaction}",
            "Transactions that committed those writes, by storage.");
        s_meter.CreateObservableCounter(
            "federation.batches.messages", () => Observe(s_senders, t => t.Units), "{message}",
            "Federation messages this silo sent in batches, by peer nation.");
        s_meter.CreateObservableCounter(
            "federation.batches.requests", () => Observe(s_senders, t => t.Batches), "{request}",
            "HTTPS requests that carried those batches, by peer nation.");
    }

    /// <summary>Counts the writes and transactions of <paramref name="storage"/> (named <paramref name="name"/>) from <paramref name="totals"/>.</summary>
    public static void TrackStorage(object storage, string name, Func<(long Writes, long Transactions)> totals) =>
        s_storages.AddOrUpdate(storage, new Source("storage", name, totals));

    /// <summary>Counts the messages and requests of <paramref name="sender"/> to <paramref name="peer"/> from <paramref name="totals"/>.</summary>
    public static void TrackSender(object sender, string peer, Func<(long Messages, long Requests)> totals) =>
        s_senders.AddOrUpdate(sender, new Source("nation", peer, totals));

    private static IEnumerable<Measurement<long>> Observe(ConditionalWeakTable<object, Source> sources, Func<(long Units, long Batches), long> pick) =>
        [.. sources.Select(s => s.Value)
            .GroupBy(s => (s.Tag, s.Value))
            .Select(g => new Measurement<long>(g.Sum(s => pick(s.Totals())), new KeyValuePair<string, object?>(g.Key.Tag, g.Key.Value)))];

    private sealed record Source(string Tag, string Value, Func<(long Units, long Batches)> Totals);
}
