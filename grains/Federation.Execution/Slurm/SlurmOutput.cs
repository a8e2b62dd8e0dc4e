using System.Globalization;

namespace Federation.Execution.Slurm;

/// <summary>
/// Parsers for the output of the Slurm client tools, kept apart from running them so that they can
/// be tested on captured output. Each tolerates blank lines and trailing whitespace.
/// </summary>
internal static class SlurmOutput
{
    /// <summary>The squeue <c>--Format</c> that <see cref="ParseSqueue"/> reads: id, state, reason, raw exit status, name (last, so that it may hold anything).</summary>
    public const string SqueueFormat = "JobID:|,State:|,Reason:|,exit_code:|,Name:";

    /// <summary>The job id in <c>sbatch --parsable</c>'s answer (<c>123</c> or <c>123;cluster</c>); null when there is none.</summary>
    public static string? ParseSubmittedId(string stdout)
    {
        var line = Lines(stdout).LastOrDefault();
        if (line is null)
        {
            return null;
        }

        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        var id = (semicolon >= 0 ? line[..semicolon] : line).Trim();
        return IsJobId(id) ? id : null;
    }

    /// <summary>Whether <paramref name="id"/> looks like a Slurm job id: digits, optionally <c>_N</c> (array task) or <c>+N</c> (het component).</summary>
    public static bool IsJobId(string id)
    {
        if (id.Length == 0 || !char.IsAsciiDigit(id[0]))
        {
            return false;
        }

        var separators = 0;
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsAsciiDigit(c))
            {
                continue;
            }

            if ((c is '_' or '+') && separators == 0 && i + 1 < id.Length)
            {
                separators++;
                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>Jobs from squeue's output in <see cref="SqueueFormat"/> (lines <c>id|STATE|reason|status|name</c>).</summary>
    public static IReadOnlyList<SlurmJob> ParseSqueue(string stdout)
    {
        var jobs = new List<SlurmJob>();
        foreach (var line in Lines(stdout))
        {
            var fields = line.Split('|', 5);
            if (fields.Length < 5 || !IsJobId(fields[0].Trim()))
            {
                continue;
            }

            var state = SlurmJobStates.Parse(fields[1]);
            int? exitCode = null;
            int? signal = null;
            if (state.IsFinished() && int.TryParse(fields[3].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var status))
            {
                // squeue prints the raw wait status: exit code in the high byte, signal in the low bits.
                exitCode = (status >> 8) & 0xff;
                signal = status & 0x7f;
            }

            jobs.Add(new SlurmJob(fields[0].Trim(), fields[4].TrimEnd(), state, fields[2].Trim(), exitCode, signal is 0 ? null : signal));
        }

        return jobs;
    }

    /// <summary>
    /// The job <paramref name="jobId"/> from <c>scontrol show job -o</c> (one line per job of
    /// <c>Key=Value</c> pairs: JobId, JobName, JobState, Reason, ExitCode=N:S); null when absent.
    /// </summary>
    public static SlurmJob? ParseScontrolJob(string stdout, string jobId)
    {
        SlurmJob? first = null;
        foreach (var line in Lines(stdout))
        {
            var pairs = KeyValues(line);
            if (!pairs.TryGetValue("JobId", out var id) || !pairs.TryGetValue("JobState", out var stateName))
            {
                continue;
            }

            var state = SlurmJobStates.Parse(stateName);
            int? exitCode = null;
            int? signal = null;
            if (state.IsFinished() && pairs.TryGetValue("ExitCode", out var exit))
            {
                (exitCode, signal) = ParseExitCode(exit);
            }

            // The job name may contain spaces: take everything up to the key that always follows it.
            var name = Between(line, "JobName=", " UserId=") ?? pairs.GetValueOrDefault("JobName", "");
            var job = new SlurmJob(id, name, state, pairs.GetValueOrDefault("Reason", "None"), exitCode, signal is 0 ? null : signal);
            if (id == jobId || pairs.GetValueOrDefault("ArrayJobId") is { } arrayJob && $"{arrayJob}_{pairs.GetValueOrDefault("ArrayTaskId")}" == jobId)
            {
                return job;
            }

            first ??= job;
        }

        return first;
    }

    /// <summary>Slurm's <c>N:S</c> exit code (exit status, signal); (null, null) when unreadable.</summary>
    public static (int? ExitCode, int? Signal) ParseExitCode(string value)
    {
        var parts = value.Trim().Split(':');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var signal)
            ? (code, signal)
            : (null, null);
    }

    /// <summary>
    /// GPUs per type from <c>scontrol show node -o -d</c> (one line per node with <c>State=</c>,
    /// <c>Partitions=</c>, <c>Gres=</c> and <c>GresUsed=</c>), summed over the usable nodes, and over
    /// those in <paramref name="partition"/> when given. Ordered by type.
    /// </summary>
    public static IReadOnlyList<SlurmGres> ParseNodeGres(string stdout, string? partition)
    {
        var totals = new SortedDictionary<string, (int Total, int Used)>(StringComparer.Ordinal);
        foreach (var line in Lines(stdout))
        {
            var pairs = KeyValues(line);
            if (!pairs.ContainsKey("NodeName") || !IsUsable(pairs.GetValueOrDefault("State", "")))
            {
                continue;
            }

            if (partition is not null
                && !pairs.GetValueOrDefault("Partitions", "").Split(',', StringSplitOptions.TrimEntries).Contains(partition, StringComparer.Ordinal))
            {
                continue;
            }

            foreach (var (type, count) in ParseGpuList(pairs.GetValueOrDefault("Gres", "")))
            {
                var sum = totals.GetValueOrDefault(type);
                totals[type] = (sum.Total + count, sum.Used);
            }

            foreach (var (type, count) in ParseGpuList(pairs.GetValueOrDefault("GresUsed", "")))
            {
                var sum = totals.GetValueOrDefault(type);
                totals[type] = (sum.Total, sum.Used + count);
            }
        }

        return [.. totals.Select(t => new SlurmGres(t.Key, t.Value.Total, t.Value.Used))];
    }

    /// <summary>
    /// The GPUs of a node's <c>Gres</c> or <c>GresUsed</c> value: comma-separated
    /// <c>gpu[:type]:count[(...)]</c> entries such as <c>gpu:h100:4(S:0)</c>, <c>gpu:h100:2(IDX:0-1)</c>,
    /// <c>gpu:h100:0(IDX:N/A)</c> or <c>gpu:2</c>; other GRES and <c>(null)</c> are skipped.
    /// </summary>
    public static IEnumerable<(string Type, int Count)> ParseGpuList(string value)
    {
        foreach (var entry in SplitOutsideParentheses(value.Trim()))
        {
            var spec = WithoutTrailingParentheses(entry.Trim());
            var parts = spec.Split(':');
            if (parts.Length < 2 || parts[0] != "gpu")
            {
                continue;
            }

            if (!int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                continue;
            }

            var type = parts.Length >= 3 ? string.Join(':', parts[1..^1]) : "";
            yield return (type == "(null)" ? "" : type, count);
        }
    }

    /// <summary>
    /// Whether a node in <paramref name="state"/> (scontrol's <c>IDLE</c>, <c>MIXED+DRAIN</c>,
    /// <c>DOWN*</c>, ...) can run jobs: not down, drained, failed, unresponsive or powered off.
    /// </summary>
    public static bool IsUsable(string state)
    {
        if (state.Length == 0 || state.EndsWith('*'))
        {
            return false;
        }

        foreach (var flag in state.Split('+'))
        {
            if (flag is "DOWN" or "DRAIN" or "DRAINED" or "DRAINING" or "FAIL" or "FAILING" or "FUTURE" or "INVAL"
                or "NOT_RESPONDING" or "POWER_DOWN" or "POWERED_DOWN" or "POWERING_DOWN" or "UNKNOWN" or "REBOOT_ISSUED")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The <c>Key=Value</c> pairs of one line of <c>scontrol -o</c> output. A value runs up to the
    /// next space-preceded <c>Key=</c>, so values with spaces (<c>OS=Linux 6.1 #1 SMP</c>) stay whole.
    /// The first occurrence of a key wins.
    /// </summary>
    public static Dictionary<string, string> KeyValues(string line)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var starts = new List<(int KeyStart, int ValueStart, string Key)>();
        for (var i = 0; i < line.Length; i++)
        {
            if (i > 0 && line[i - 1] != ' ')
            {
                continue;
            }

            var j = i;
            while (j < line.Length && (char.IsAsciiLetterOrDigit(line[j]) || line[j] is '_' or '/' or ':' or '.'))
            {
                j++;
            }

            if (j > i && j < line.Length && line[j] == '=' && char.IsAsciiLetter(line[i]))
            {
                starts.Add((i, j + 1, line[i..j]));
                i = j;
            }
        }

        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1].KeyStart : line.Length;
            pairs.TryAdd(starts[k].Key, line[starts[k].ValueStart..end].Trim());
        }

        return pairs;
    }

    private static string? Between(string line, string start, string end)
    {
        var from = line.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return null;
        }

        from += start.Length;
        var to = line.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? null : line[from..to];
    }

    /// <summary><c>gpu:h100:2(IDX:0-1)</c> without <c>(IDX:0-1)</c>; a type such as <c>(null)</c> stays.</summary>
    private static string WithoutTrailingParentheses(string entry)
    {
        if (!entry.EndsWith(')'))
        {
            return entry;
        }

        var depth = 0;
        for (var i = entry.Length - 1; i >= 0; i--)
        {
            depth += entry[i] switch { ')' => 1, '(' => -1, _ => 0 };
            if (depth == 0)
            {
                return entry[..i].Trim();
            }
        }

        return entry;
    }

    private static List<string> SplitOutsideParentheses(string value)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    parts.Add(value[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r', ' ', '\t')).Where(l => l.Length > 0);
}
