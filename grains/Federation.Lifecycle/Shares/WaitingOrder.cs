using System.Collections.Immutable;
using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// The order in which runs waiting for accelerators take them when some are freed, pure: by band
/// (<see cref="WithinShares"/>, then <see cref="OverQuota"/>, then <see cref="StudentBeyondQuota"/>),
/// then by <see cref="ShareRules.Priority"/> (the origin nation's fair-share factor, plus the local
/// priority for this nation's own users), then by arrival, then by holder. A waiting run may take
/// accelerators of a model only when what is free is more than the runs ranked ahead of it that can
/// use that model want: the first in line is never passed over by a later, smaller one.
/// </summary>
public static class WaitingOrder
{
    /// <summary>Band of work within its shares: its consortium within its quota, or no quota.</summary>
    public const int WithinShares = 0;

    /// <summary>Band of a research job whose consortium would hold more than its quota.</summary>
    public const int OverQuota = 1;

    /// <summary>Band of a student job beyond the tier's guaranteed quota.</summary>
    public const int StudentBeyondQuota = 2;

    /// <summary>The rank of <paramref name="job"/> among waiting work on <paramref name="facts"/>; with no share facts (shares off) every run ranks the same, so arrival decides.</summary>
    public static WaitRank RankOf(ShareRequest job, ShareFacts? facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (facts is null)
        {
            return new(WithinShares, 0);
        }

        if (job.Tier == JobTier.Student)
        {
            return facts.StudentHeld + job.Accelerators > facts.StudentReserve
                ? new(StudentBeyondQuota, facts.FactorOf(job.Origin))
                : new(WithinShares, ShareRules.Priority(job, facts));
        }

        var band = job.Consortium is { } consortium
            && facts.Settings.ConsortiumQuotas.TryGetValue(consortium, out var quota)
            && facts.ConsortiumHeld.GetValueOrDefault(consortium) + job.Accelerators > (int)Math.Floor(quota * facts.Total)
                ? OverQuota
                : WithinShares;
        return new(band, ShareRules.Priority(job, facts));
    }

    /// <summary>How far apart the bands lie in <see cref="SlurmNice"/>: more than any priority within a band spans.</summary>
    public const int SlurmNicePerBand = 10_000;

    /// <summary>
    /// The nice value a run placed in a Slurm pool is submitted with, so that Slurm's own queue keeps the order of
    /// <see cref="Order"/> among the federation's runs: <see cref="SlurmNicePerBand"/> per band, plus (2 − priority) x 1,000
    /// rounded (a priority is a factor of at most 1 plus a local priority of at most 1). Never negative, since an
    /// unprivileged account may only lower its jobs' priority; the best placed run gets 0.
    /// </summary>
    public static int SlurmNice(WaitRank rank) =>
        (Math.Clamp(rank.Band, 0, StudentBeyondQuota) * SlurmNicePerBand) + (int)Math.Round((2 - Math.Clamp(double.IsFinite(rank.Priority) ? rank.Priority : 0, 0, 2)) * 1000);

    /// <summary>The waiting runs in the order they take freed accelerators, first first.</summary>
    public static ImmutableArray<WaitingRun> Order(IEnumerable<WaitingRun> waiting)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        return [.. waiting
            .OrderBy(w => w.Rank.Band)
            .ThenByDescending(w => w.Rank.Priority)
            .ThenBy(w => w.Arrived)
            .ThenBy(w => w.Holder, StringComparer.Ordinal)];
    }

    /// <summary>True when <paramref name="a"/> takes freed accelerators before <paramref name="b"/>.</summary>
    public static bool Before(WaitingRun a, WaitingRun b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var c = a.Rank.Band.CompareTo(b.Rank.Band);
        if (c == 0)
        {
            c = b.Rank.Priority.CompareTo(a.Rank.Priority);
        }

        if (c == 0)
        {
            c = a.Arrived.CompareTo(b.Arrived);
        }

        return c == 0 ? string.CompareOrdinal(a.Holder, b.Holder) < 0 : c < 0;
    }

    /// <summary>How many of <paramref name="waiting"/> are ranked ahead of <paramref name="run"/> and can use a model it can use: its place in line, less one.</summary>
    public static int Ahead(WaitingRun run, IEnumerable<WaitingRun> waiting)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(waiting);
        return waiting.Count(w => w.Holder != run.Holder && w.Models.Any(m => run.Models.Contains(m, StringComparer.Ordinal)) && Before(w, run));
    }

    /// <summary>
    /// The accelerators of <paramref name="model"/> that <paramref name="run"/> may take of the
    /// <paramref name="free"/> ones: what is left after the runs in <paramref name="waiting"/> ranked
    /// ahead of it that can use <paramref name="model"/> have what they want.
    /// </summary>
    public static int FreeFor(WaitingRun run, string model, int free, IEnumerable<WaitingRun> waiting)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(waiting);
        var ahead = waiting
            .Where(w => w.Holder != run.Holder && w.Models.Contains(model, StringComparer.Ordinal) && Before(w, run))
            .Sum(w => w.Accelerators);
        return Math.Max(0, free - ahead);
    }
}

/// <summary>A waiting run's rank: lower band first, then higher priority.</summary>
/// <param name="Band">Its band (<see cref="WaitingOrder.WithinShares"/>, ...).</param>
/// <param name="Priority">Its priority within the band (<see cref="ShareRules.Priority"/>).</param>
public readonly record struct WaitRank(int Band, double Priority);

/// <summary>A run admitted here that waits for accelerators.</summary>
/// <param name="Holder">Its execution's key.</param>
/// <param name="Models">The accelerator models it can run on.</param>
/// <param name="Accelerators">How many it wants.</param>
/// <param name="Rank">Its rank now.</param>
/// <param name="Arrived">When it began to wait.</param>
public sealed record WaitingRun(string Holder, ImmutableArray<string> Models, int Accelerators, WaitRank Rank, DateTimeOffset Arrived);
