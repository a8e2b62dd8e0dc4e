using System.Collections.Immutable;
using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// One nation's usage ledger: decayed accelerator-hours per <see cref="UsageAccount"/>, from the
/// executions it ran. Immutable; every charge returns a new ledger. Because decay is linear, the
/// federation's usage is the sum of every nation's ledger decayed to the same time.
/// </summary>
public sealed record UsageLedger
{
    /// <summary>An empty ledger.</summary>
    public static UsageLedger Empty { get; } = new();

    /// <summary>Decayed usage per account.</summary>
    public ImmutableSortedDictionary<UsageAccount, DecayedUsage> Accounts { get; init; } = ImmutableSortedDictionary.Create<UsageAccount, DecayedUsage>(UsageAccount.Order);

    /// <summary>This ledger with <paramref name="accelHours"/> charged to <paramref name="account"/> at <paramref name="now"/>.</summary>
    public UsageLedger Charge(UsageAccount account, double accelHours, DateTimeOffset now, TimeSpan halfLife)
    {
        ArgumentNullException.ThrowIfNull(account);
        var before = Accounts.TryGetValue(account, out var u) ? u : new DecayedUsage(0, now);
        return this with { Accounts = Accounts.SetItem(account, before.Charge(accelHours, now, halfLife)) };
    }

    /// <summary>This ledger with <paramref name="accelHours"/> charged to <paramref name="account"/> at <paramref name="chargedAt"/> taken back (<see cref="DecayedUsage.Refund"/>).</summary>
    public UsageLedger Refund(UsageAccount account, double accelHours, DateTimeOffset chargedAt, TimeSpan halfLife)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Accounts.TryGetValue(account, out var u) ? this with { Accounts = Accounts.SetItem(account, u.Refund(accelHours, chargedAt, halfLife)) } : this;
    }

    /// <summary>Every account's usage as of <paramref name="now"/>.</summary>
    public IEnumerable<(UsageAccount Account, double Hours)> At(DateTimeOffset now, TimeSpan halfLife) =>
        Accounts.Select(a => (a.Key, a.Value.ValueAt(now, halfLife)));

    /// <summary>Usage per origin nation as of <paramref name="now"/>.</summary>
    public ImmutableSortedDictionary<string, double> ByNation(DateTimeOffset now, TimeSpan halfLife) =>
        At(now, halfLife).GroupBy(a => a.Account.Nation, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Sum(a => a.Hours), StringComparer.Ordinal);

    /// <summary>Usage per consortium (accounts with one) as of <paramref name="now"/>.</summary>
    public ImmutableSortedDictionary<string, double> ByConsortium(DateTimeOffset now, TimeSpan halfLife) =>
        At(now, halfLife).Where(a => a.Account.Consortium.Length > 0).GroupBy(a => a.Account.Consortium, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Sum(a => a.Hours), StringComparer.Ordinal);

    /// <summary>Usage of the student tier as of <paramref name="now"/>.</summary>
    public double Students(DateTimeOffset now, TimeSpan halfLife) =>
        At(now, halfLife).Where(a => a.Account.Tier == JobTier.Student).Sum(a => a.Hours);
}
