namespace Federation.Lifecycle.Shares;

/// <summary>
/// Which kept charges and reports no longer matter to the usage ledger. Usage decays exponentially
/// (<see cref="DecayedUsage"/>): a charge or report older than <see cref="HalfLives"/> half-lives weighs less than
/// 2^-10 (under 0.1 %) of what it did, so dropping it changes the decayed usage by less than that share of it.
/// </summary>
public static class LedgerPruning
{
    /// <summary>How many half-lives a charge or report is kept: 10, so that what is dropped weighs under 0.1 % of what it was.</summary>
    public const int HalfLives = 10;

    /// <summary>The most a dropped charge or report still weighs, as a share of its hours: 2^-<see cref="HalfLives"/>.</summary>
    public static double DroppedWeight => Math.Pow(2, -HalfLives);

    /// <summary>
    /// What may be dropped as of <paramref name="now"/>: charges made before <paramref name="now"/> less
    /// <see cref="HalfLives"/> x <paramref name="halfLife"/> whose walltime ended before <paramref name="now"/> less
    /// <paramref name="reportHorizon"/> (reports spread a charge over its walltime: no longer reported nor held); reports whose period
    /// ended before the same decay horizon, except each nation's latest (its sequence and period are the replay fence).
    /// </summary>
    public static LedgerPruneCutoffs Cutoffs(DateTimeOffset now, TimeSpan halfLife, TimeSpan reportHorizon)
    {
        if (halfLife <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(halfLife), halfLife, "the half-life must be positive");
        }

        var decayed = now - (halfLife * HalfLives);
        return new LedgerPruneCutoffs(decayed, now - (reportHorizon > TimeSpan.Zero ? reportHorizon : TimeSpan.Zero), decayed);
    }

    /// <summary>Whether <paramref name="charge"/> may be dropped under <paramref name="cutoffs"/>.</summary>
    public static bool Drops(UsageCharge charge, LedgerPruneCutoffs cutoffs)
    {
        ArgumentNullException.ThrowIfNull(charge);
        ArgumentNullException.ThrowIfNull(cutoffs);
        return charge.ChargedAt < cutoffs.ChargedBefore && charge.EndsBy < cutoffs.EndedBefore;
    }
}

/// <summary>The cut-offs of <see cref="LedgerPruning.Cutoffs"/>.</summary>
/// <param name="ChargedBefore">Charges made before this may go...</param>
/// <param name="EndedBefore">...when their walltime also ended before this.</param>
/// <param name="ReportedBefore">Reports whose period ended before this may go, except each nation's latest.</param>
public sealed record LedgerPruneCutoffs(DateTimeOffset ChargedBefore, DateTimeOffset EndedBefore, DateTimeOffset ReportedBefore);
