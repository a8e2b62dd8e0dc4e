using System.Collections.Immutable;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// The fair-share arithmetic, from Slurm's classic formula: entitlements from contributions with a
/// guaranteed floor, and the factor F = 2^(−U/S) where U is a nation's share of the federation's
/// decayed usage and S its entitlement. F = 1 with no usage, 0.5 at exactly the entitlement, towards 0 above it.
/// </summary>
public static class FairShare
{
    /// <summary>
    /// Each nation's entitlement (fractions that sum to 1) in proportion to what it contributes
    /// (accelerator-hours offered per period), but never below <paramref name="minimum"/>: nations
    /// under the floor get it, and the rest share what remains in proportion to their contributions.
    /// </summary>
    /// <exception cref="ArgumentException">A contribution is negative or not finite, or the floors alone exceed 1.</exception>
    public static ImmutableSortedDictionary<string, double> Entitlements(IReadOnlyDictionary<string, double> contributions, double minimum)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        if (contributions.Count == 0)
        {
            return ImmutableSortedDictionary<string, double>.Empty;
        }

        foreach (var (nation, offered) in contributions)
        {
            if (!double.IsFinite(offered) || offered < 0)
            {
                throw new ArgumentException($"the contribution of {nation} must be a finite, non-negative number of accelerator-hours, got {offered}", nameof(contributions));
            }
        }

        if (!double.IsFinite(minimum) || minimum < 0 || minimum * contributions.Count > 1 + 1e-12)
        {
            throw new ArgumentException($"a minimum share of {minimum} for {contributions.Count} nations is more than the whole federation", nameof(minimum));
        }

        // Water-filling: fix the nations whose proportional share falls under the floor, until none does.
        var floored = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var rest = 1 - (minimum * floored.Count);
            var free = contributions.Where(c => !floored.Contains(c.Key)).ToList();
            var sum = free.Sum(c => c.Value);
            var under = free.Where(c => sum <= 0 || rest * c.Value / sum < minimum).Select(c => c.Key).ToList();
            if (under.Count == 0 || under.Count == free.Count)
            {
                floored.UnionWith(under);
                var remaining = 1 - (minimum * floored.Count);
                var left = contributions.Where(c => !floored.Contains(c.Key)).ToList();
                var leftSum = left.Sum(c => c.Value);
                var result = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
                foreach (var (nation, offered) in contributions)
                {
                    result[nation] = floored.Contains(nation)
                        ? minimum + (left.Count == 0 ? remaining / floored.Count : 0)
                        : remaining * offered / leftSum;
                }

                return result.ToImmutable();
            }

            floored.UnionWith(under);
        }
    }

    /// <summary>
    /// The factor 2^(−U/S): <paramref name="usage"/> over <paramref name="totalUsage"/> is U, <paramref name="entitlement"/> is S.
    /// 1 when nothing is used yet; 0 for a nation with no entitlement that uses anything.
    /// </summary>
    public static double Factor(double usage, double totalUsage, double entitlement)
    {
        var u = totalUsage > 0 ? Math.Clamp(usage / totalUsage, 0, 1) : 0;
        if (u == 0)
        {
            return 1;
        }

        return entitlement > 0 ? Math.Pow(2, -u / entitlement) : 0;
    }

    /// <summary>
    /// Jain's fairness index of received over entitled: (Σx)² / (n·Σx²) with x = received / entitled;
    /// 1 when every party got the same fraction of its entitlement, 1/n when one got everything.
    /// </summary>
    public static double JainIndex(IEnumerable<(double Received, double Entitled)> parties)
    {
        ArgumentNullException.ThrowIfNull(parties);
        var x = parties.Where(p => p.Entitled > 0).Select(p => p.Received / p.Entitled).ToList();
        var squares = x.Sum(v => v * v);
        return x.Count == 0 || squares == 0 ? 1 : x.Sum() * x.Sum() / (x.Count * squares);
    }
}
