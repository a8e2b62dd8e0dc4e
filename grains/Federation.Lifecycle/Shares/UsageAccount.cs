using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Shares;

/// <summary>Whose usage a charge counts against: the job's origin nation, its consortium (empty for none) and its tier.</summary>
/// <param name="Nation">The origin nation's code.</param>
/// <param name="Consortium">The consortium the job ran for; empty when none.</param>
/// <param name="Tier">The job's tier.</param>
public sealed record UsageAccount(string Nation, string Consortium, JobTier Tier)
{
    /// <summary>Orders accounts by nation, consortium and tier (ordinal), so that ledgers list and sign the same way everywhere.</summary>
    public static IComparer<UsageAccount> Order { get; } = Comparer<UsageAccount>.Create((a, b) =>
        string.CompareOrdinal(a.Nation, b.Nation) is var n and not 0 ? n
        : string.CompareOrdinal(a.Consortium, b.Consortium) is var c and not 0 ? c
        : a.Tier.CompareTo(b.Tier));
}
