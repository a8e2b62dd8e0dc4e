using Federation.Lifecycle.Shares;
using Federation.Protocol.Usage;

namespace Federation.Silo.Shares;

/// <summary>Where the usage ledger lives: in memory (embedded mode) or in PostgreSQL (migrations 0013, 0014 and 0015).</summary>
public interface IUsageLedgerStore
{
    /// <summary>Every charge kept, in the order charged, and every report accepted, per nation in sequence order.</summary>
    Task<(IReadOnlyList<StoredCharge> Charges, IReadOnlyList<UsageReport> Reports)> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The charges made or released at or after <paramref name="since"/> and the reports received at or after it, by any silo of
    /// the nation: what another silo recorded since this one last looked.
    /// </summary>
    Task<(IReadOnlyList<StoredCharge> Charges, IReadOnlyList<UsageReport> Reports)> ChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="charge"/>; false when a charge with its key is kept already (it counts once).</summary>
    Task<bool> ChargeAsync(StoredCharge charge, CancellationToken cancellationToken = default);

    /// <summary>Keeps an accepted report as its sender signed it; false when its nation and sequence are kept already.</summary>
    Task<bool> KeepReportAsync(SignedUsageReport report, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the run of charge <paramref name="key"/> ended at <paramref name="at"/> having used <paramref name="usedHours"/>
    /// accelerator-hours (null: not known, the estimate stands); the first release wins. The release in force, or null when no such charge is kept.
    /// </summary>
    Task<UsageRelease?> ReleaseAsync(string key, DateTimeOffset at, double? usedHours = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the charges and reports that <paramref name="cutoffs"/> drop (<see cref="LedgerPruning"/>), keeping each nation's latest report; how many of each.</summary>
    Task<(int Charges, int Reports)> PruneAsync(LedgerPruneCutoffs cutoffs, CancellationToken cancellationToken = default);
}

/// <summary>
/// A kept charge: the pure charge as made on admission, what admission counts while the run is held (its user, course, whether
/// borrowed), when the run ended (null: not released) and the accelerator-hours it used (null: not known, the estimate stands).
/// </summary>
public sealed record StoredCharge(UsageCharge Charge, string User, string? Course, bool Borrowed, DateTimeOffset? ReleasedAt = null, double? UsedHours = null)
{
    /// <summary>The charge as usage counts it: settled to what the run used once that is known (<see cref="UsageCharge.Settled"/>).</summary>
    public UsageCharge Counted => UsedHours is { } used ? Charge.Settled(used) : Charge;
}

/// <summary>A write of the usage ledger, and the release in force it answers: the run of charge <paramref name="Key"/> ended at <paramref name="At"/> having used <paramref name="UsedHours"/> (the first release wins).</summary>
public sealed record UsageRelease(string Key, DateTimeOffset At, double? UsedHours = null);

/// <summary>The ledger in this process's memory: what embedded mode keeps, and forgets on restart.</summary>
public sealed class InMemoryUsageLedgerStore : IUsageLedgerStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredCharge> _charges = new(StringComparer.Ordinal);
    private readonly List<StoredCharge> _order = [];
    private readonly SortedDictionary<(string Nation, long Sequence), UsageReport> _reports = [];

    /// <inheritdoc />
    public Task<(IReadOnlyList<StoredCharge> Charges, IReadOnlyList<UsageReport> Reports)> LoadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<(IReadOnlyList<StoredCharge>, IReadOnlyList<UsageReport>)>(([.. _order], [.. _reports.Values]));
        }
    }

    /// <inheritdoc />
    public Task<bool> ChargeAsync(StoredCharge charge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(charge);
        lock (_gate)
        {
            if (!_charges.TryAdd(charge.Charge.Key, charge))
            {
                return Task.FromResult(false);
            }

            _order.Add(charge);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<(IReadOnlyList<StoredCharge> Charges, IReadOnlyList<UsageReport> Reports)> ChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            // One process keeps this store: whatever changed, this silo changed itself and knows already.
            return Task.FromResult<(IReadOnlyList<StoredCharge>, IReadOnlyList<UsageReport>)>(([.. _order.Where(c => c.Charge.ChargedAt >= since || c.ReleasedAt >= since)], []));
        }
    }

    /// <inheritdoc />
    public Task<bool> KeepReportAsync(SignedUsageReport report, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            return Task.FromResult(_reports.TryAdd((report.Report.Nation, report.Report.Sequence), report.Report));
        }
    }

    /// <inheritdoc />
    public Task<UsageRelease?> ReleaseAsync(string key, DateTimeOffset at, double? usedHours = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_charges.TryGetValue(key, out var charge))
            {
                return Task.FromResult<UsageRelease?>(null);
            }

            if (charge.ReleasedAt is null)
            {
                charge = charge with { ReleasedAt = at, UsedHours = usedHours };
                _charges[key] = charge;
                _order[_order.FindIndex(c => c.Charge.Key == key)] = charge;
            }

            return Task.FromResult<UsageRelease?>(new(key, charge.ReleasedAt!.Value, charge.UsedHours));
        }
    }

    /// <inheritdoc />
    public Task<(int Charges, int Reports)> PruneAsync(LedgerPruneCutoffs cutoffs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        lock (_gate)
        {
            var charges = _order.RemoveAll(c => LedgerPruning.Drops(c.Charge, cutoffs) && _charges.Remove(c.Charge.Key));
            var latest = _reports.Keys.GroupBy(k => k.Nation, StringComparer.Ordinal).Select(g => g.Max()).ToHashSet();
            var reports = _reports.Where(r => r.Value.To < cutoffs.ReportedBefore && !latest.Contains(r.Key)).Select(r => r.Key).ToList();
            reports.ForEach(k => _reports.Remove(k));
            return Task.FromResult((charges, reports.Count));
        }
    }
}
