using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Federation.Benchmarks;

/// <summary>
/// The silos' pipeline counters read from their <c>GET /metrics</c> (Prometheus text): per group-commit storage, the grain
/// state writes and the transactions that committed them; per peer, the messages of the batched federation transport and
/// the HTTPS requests that carried them. Read at once, so the benchmark takes them at the edges of its timed window
/// instead of waiting for the statistics lines the silos log every 10 s.
/// </summary>
internal static partial class SiloMetrics
{
    /// <summary>Each silo's counters by label, or null when a silo does not serve metrics (<c>--telemetry off</c>).</summary>
    public static async Task<Dictionary<string, PipelineTotals>?> ScrapeAsync(ThroughputFederation federation, CancellationToken ct)
    {
        var totals = new Dictionary<string, PipelineTotals>(StringComparer.Ordinal);
        foreach (var silo in federation.Silos)
        {
            using var response = await federation.ClientOf(silo).GetAsync(new Uri("/metrics", UriKind.Relative), ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET /metrics of {silo.Label} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }

            totals[silo.Label] = Parse(await response.Content.ReadAsStringAsync(ct));
        }

        return totals;
    }

    /// <summary>The pipeline counters of one Prometheus text exposition (absent counters are zero).</summary>
    public static PipelineTotals Parse(string exposition)
    {
        var storages = new Dictionary<string, (long Writes, long Transactions)>(StringComparer.Ordinal);
        var peers = new Dictionary<string, (long Messages, long Requests)>(StringComparer.Ordinal);
        foreach (Match m in CounterLine().Matches(exposition))
        {
            var labels = Labels().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value, StringComparer.Ordinal);
            var value = (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            switch (m.Groups["name"].Value)
            {
                case "storage_writes" when labels.TryGetValue("storage", out var storage):
                    storages[storage] = storages.GetValueOrDefault(storage) with { Writes = value };
                    break;
                case "storage_transactions" when labels.TryGetValue("storage", out var storage):
                    storages[storage] = storages.GetValueOrDefault(storage) with { Transactions = value };
                    break;
                case "batches_messages" when labels.TryGetValue("nation", out var peer):
                    peers[peer] = peers.GetValueOrDefault(peer) with { Messages = value };
                    break;
                case "batches_requests" when labels.TryGetValue("nation", out var peer):
                    peers[peer] = peers.GetValueOrDefault(peer) with { Requests = value };
                    break;
            }
        }

        return new PipelineTotals(storages, peers);
    }

    [GeneratedRegex(@"^federation_(?<name>storage_writes|storage_transactions|batches_messages|batches_requests)_total\{(?<labels>[^}]*)\} (?<value>[0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex CounterLine();

    [GeneratedRegex(@"(\w+)=""([^""]*)""")]
    private static partial Regex Labels();
}

/// <summary>One silo's pipeline counters: per storage, writes and transactions; per peer, batched messages and requests.</summary>
internal sealed record PipelineTotals(
    IReadOnlyDictionary<string, (long Writes, long Transactions)> Storages,
    IReadOnlyDictionary<string, (long Messages, long Requests)> Peers);
