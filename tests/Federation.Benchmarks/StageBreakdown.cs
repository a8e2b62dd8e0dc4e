using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Federation.Benchmarks;

/// <summary>
/// Where the low-load jobs' time went, hop by hop: the silos' <c>Federation.Stages</c> Debug lines
/// (job, stage, monotonic timestamp shared by every process of the host), read back from their logs.
/// Each stage is shown with the time since the stage before it (stages in the order of their median
/// time after DE received the submission), p50 and p99 over the jobs that passed both.
/// </summary>
internal static partial class StageBreakdown
{
    private const string First = "de.submit";

    /// <summary>The stage marks of the jobs whose reference contains <paramref name="marker"/>, from every log in <paramref name="logs"/>: per job, per stage, the first timestamp.</summary>
    public static Dictionary<string, Dictionary<string, long>> Read(IEnumerable<string> logs, string marker)
    {
        var jobs = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var log in logs)
        {
            foreach (Match m in StageLine().Matches(log))
            {
                var job = m.Groups[1].Value;
                if (!job.Contains(marker, StringComparison.Ordinal))
                {
                    continue;
                }

                var stages = jobs.TryGetValue(job, out var s) ? s : jobs[job] = new Dictionary<string, long>(StringComparer.Ordinal);
                stages.TryAdd(m.Groups[2].Value, long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
            }
        }

        return jobs;
    }

    /// <summary>The table: one row per stage, in order, with the milliseconds since the stage before it and since DE received the job.</summary>
    public static string Table(Dictionary<string, Dictionary<string, long>> jobs)
    {
        var started = jobs.Values.Where(s => s.ContainsKey(First)).ToList();
        if (started.Count == 0)
        {
            return "  stages      none logged (the silos log them at Debug under Federation.Stages)";
        }

        var order = started.SelectMany(s => s.Keys).Distinct(StringComparer.Ordinal)
            .Select(stage => (Stage: stage, Median: JobLatency.Percentile([.. started.Where(s => s.ContainsKey(stage)).Select(s => Ms(s[stage] - s[First]))], 0.5)))
            .OrderBy(x => x.Median).Select(x => x.Stage).ToList();
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"  stages      of {started.Count} low-load jobs (ms; 'step' is since the stage above, 'total' since DE received the job):");
        text.AppendLine().Append(CultureInfo.InvariantCulture, $"    {"stage",-22} {"jobs",5} {"step p50",9} {"step p99",9} {"total p50",10} {"total p99",10}");
        for (var i = 0; i < order.Count; i++)
        {
            var stage = order[i];
            var passed = started.Where(s => s.ContainsKey(stage)).ToList();
            var total = passed.Select(s => Ms(s[stage] - s[First])).ToList();
            var step = i == 0 ? total : [.. passed.Where(s => s.ContainsKey(order[i - 1])).Select(s => Ms(s[stage] - s[order[i - 1]]))];
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"    {stage,-22} {passed.Count,5} {JobLatency.Percentile(step, 0.5),9:F2} {JobLatency.Percentile(step, 0.99),9:F2} {JobLatency.Percentile(total, 0.5),10:F2} {JobLatency.Percentile(total, 0.99),10:F2}");
        }

        return text.ToString();
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    [GeneratedRegex(@"Stage (\S+) (\S+) (\d+)")]
    private static partial Regex StageLine();
}
