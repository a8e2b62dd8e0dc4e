using System.Globalization;
using System.Text.RegularExpressions;

namespace Federation.Benchmarks;

/// <summary>
/// The statistics the silos log every 10 s, read back from their logs: the jobs storage's group commit
/// (writes, transactions) and the batched federation transport (messages, HTTPS requests, per peer).
/// </summary>
internal static partial class SiloLogStatistics
{
    /// <summary>The sums of the jobs storage's statistics lines in a silo log (writes, transactions, largest transaction).</summary>
    public static (long Writes, long Transactions, long Largest) GroupCommitOf(string log)
    {
        var (writes, transactions, largest) = (0L, 0L, 0L);
        foreach (Match m in GroupCommitLine().Matches(log))
        {
            writes += Long(m.Groups[1]);
            transactions += Long(m.Groups[2]);
            largest = Math.Max(largest, Long(m.Groups[3]));
        }

        return (writes, transactions, largest);
    }

    /// <summary>
    /// Per peer, the last batch statistics line of a silo log (the counts are totals since the silo
    /// started): messages sent in batches, HTTPS requests that carried them, largest batch.
    /// </summary>
    public static Dictionary<string, BatchCount> BatchesOf(string log)
    {
        var last = new Dictionary<string, BatchCount>(StringComparer.Ordinal);
        foreach (Match m in BatchLine().Matches(log))
        {
            last[m.Groups[1].Value] = new BatchCount(Long(m.Groups[2]), Long(m.Groups[3]), Long(m.Groups[4]));
        }

        return last;
    }

    private static long Long(Group group) => long.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Grain storage jobs: (\d+) writes in (\d+) transactions \([0-9.]+ per transaction; largest so far (\d+)")]
    private static partial Regex GroupCommitLine();

    [GeneratedRegex(@"Batches to ([A-Z]{2}): (\d+) messages in (\d+) requests so far \([0-9.]+ per request; largest so far (\d+)\)")]
    private static partial Regex BatchLine();
}
