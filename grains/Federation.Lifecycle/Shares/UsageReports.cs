using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Protocol.Usage;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// The rules of usage reports between nations: what a nation reports for a period (the part of its
/// charges run in it), what a receiver accepts (each refusal names its rule and field), and the
/// federation's usage (a nation's own ledger plus every peer's reported ledger, decayed to the same time).
/// </summary>
public static class UsageReports
{
    /// <summary>The rule of a report whose signature does not verify against the sender's roster pins.</summary>
    public const string SignatureRule = "usage-report-signature";

    /// <summary>The rule of a report from a nation not on the roster, or speaking for another nation than the caller's certificate.</summary>
    public const string SenderRule = "usage-report-sender";

    /// <summary>The rule of a report whose period ends in the future or is empty.</summary>
    public const string PeriodRule = "usage-report-period";

    /// <summary>The rule of a report with a sequence not above the last accepted, or a period overlapping one accepted.</summary>
    public const string ReplayRule = "usage-report-replay";

    /// <summary>The rule of a report with numbers out of bounds: negative, not finite, or more than the sender's accelerators can deliver in the period.</summary>
    public const string BoundsRule = "usage-report-bounds";

    /// <summary>The rule of a report line whose origin is not a nation code or whose consortium is not a short, printable name.</summary>
    public const string LineRule = "usage-report-line";

    /// <summary>The longest consortium name a report may carry.</summary>
    public const int MaxConsortiumLength = 64;

    /// <summary>A refusal: the rule, the field it is about, and why.</summary>
    public sealed record Refusal(string Rule, string Field, string Detail);

    /// <summary>What <paramref name="nation"/> reports for (<paramref name="from"/>, <paramref name="to"/>]: the part of each charge run in it, per origin and consortium.</summary>
    public static UsageReport Report(string nation, IEnumerable<UsageCharge> charges, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(charges);
        var lines = charges.Select(c => (c.Account.Nation, c.Account.Consortium, Hours: c.DeliveredIn(from, to)))
            .Where(c => c.Hours > 0)
            .GroupBy(c => (c.Nation, c.Consortium))
            .OrderBy(g => g.Key.Nation, StringComparer.Ordinal).ThenBy(g => g.Key.Consortium, StringComparer.Ordinal)
            .Select(g => new UsageReportLine(g.Key.Nation, g.Key.Consortium, g.Sum(c => c.Hours)))
            .Take(UsageReportSignature.MaxLines);
        return new UsageReport(nation, to.ToUnixTimeMilliseconds(), from, to, [.. lines]);
    }

    /// <summary>
    /// Null when a receiver may add <paramref name="report"/> (its signature already verified): its period ends by
    /// <paramref name="now"/> + <paramref name="skew"/> and after it starts; its sequence is above <paramref name="lastSequence"/>
    /// and it starts no earlier than <paramref name="lastTo"/> (the last accepted from its sender); and every line is
    /// finite, not negative, and all of them together no more than <paramref name="accelerators"/> (the sender's
    /// advertised capacity) can deliver in the period. Otherwise the first rule broken.
    /// </summary>
    public static Refusal? Check(UsageReport report, long? lastSequence, DateTimeOffset? lastTo, int accelerators, DateTimeOffset now, TimeSpan skew)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.To > now + skew)
        {
            return new(PeriodRule, "report.to", $"the period ends at {report.To:O}, after now ({now:O}) plus the clock skew of {skew.TotalSeconds:0} s");
        }

        if (report.To <= report.From)
        {
            return new(PeriodRule, "report.from", $"the period starts at {report.From:O}, not before its end {report.To:O}");
        }

        if (lastSequence is { } sequence && report.Sequence <= sequence)
        {
            return new(ReplayRule, "report.sequence", $"sequence {report.Sequence} is not above {sequence}, the last accepted from {report.Nation}");
        }

        if (lastTo is { } end && report.From < end)
        {
            return new(ReplayRule, "report.from", $"the period starts at {report.From:O}, before the end of the last accepted one ({end:O}): it would count hours twice");
        }

        var lines = report.Lines.IsDefault ? [] : report.Lines;
        if (lines.Length > UsageReportSignature.MaxLines)
        {
            return new(BoundsRule, "report.lines", $"{lines.Length} lines, more than {UsageReportSignature.MaxLines}");
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (!NationCode.TryParse(lines[i].Origin, out _, out var error))
            {
                return new(LineRule, $"report.lines[{i}].origin", error);
            }

            if (lines[i].Consortium.Length > MaxConsortiumLength || lines[i].Consortium.Any(char.IsControl))
            {
                return new(LineRule, $"report.lines[{i}].consortium", $"a consortium name is at most {MaxConsortiumLength} printable characters");
            }

            if (!double.IsFinite(lines[i].AcceleratorHours) || lines[i].AcceleratorHours < 0)
            {
                return new(BoundsRule, $"report.lines[{i}].acceleratorHours", $"{lines[i].AcceleratorHours} is not a finite, non-negative number of accelerator-hours");
            }
        }

        var total = lines.Sum(l => l.AcceleratorHours);
        var most = Math.Max(0, accelerators) * (report.To - report.From).TotalHours;
        if (total > (most * (1 + 1e-9)) + 1e-9)
        {
            return new(BoundsRule, "report.lines", $"{total:0.######} accelerator-hours in {(report.To - report.From).TotalHours:0.######} h, more than the {accelerators} accelerators {report.Nation} advertises can deliver ({most:0.######})");
        }

        return null;
    }

    /// <summary><paramref name="ledger"/> (a sender's reported ledger) with <paramref name="report"/>'s lines charged at the end of its period.</summary>
    public static UsageLedger Add(UsageLedger ledger, UsageReport report, TimeSpan halfLife)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(report);
        foreach (var line in report.Lines.IsDefault ? [] : report.Lines)
        {
            ledger = ledger.Charge(new UsageAccount(line.Origin, line.Consortium, Contracts.Jobs.JobTier.Standard), line.AcceleratorHours, report.To, halfLife);
        }

        return ledger;
    }

    /// <summary>Each nation's usage over the federation as of <paramref name="now"/>: <paramref name="own"/> plus every one of <paramref name="reported"/>.</summary>
    public static ImmutableSortedDictionary<string, double> Federation(UsageLedger own, IEnumerable<UsageLedger> reported, DateTimeOffset now, TimeSpan halfLife)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(reported);
        var sum = own.ByNation(now, halfLife).ToBuilder();
        foreach (var ledger in reported)
        {
            foreach (var (nation, hours) in ledger.ByNation(now, halfLife))
            {
                sum[nation] = sum.GetValueOrDefault(nation) + hours;
            }
        }

        return sum.ToImmutable();
    }
}
