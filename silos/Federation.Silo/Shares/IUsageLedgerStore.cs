using Federation.Lifecycle.Shares;
using Federation.Protocol.Usage;

namespace Federation.Silo.Shares;

/// <summary>Where the usage ledger lives: in memory (embedded mode) or in PostgreSQL (migration 0013).</summary>
public interface IUsageLedgerStore
{
    /// <summary>Every charge kept, in the order charged, and every report accepted, per nation in sequence order.</summary>
    Task<(IReadOnlyList<StoredCharge> Charges, IReadOnlyList<UsageReport> Reports)> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="charge"/>; false when a charge with its key is kept already (it counts once).</summary>
    Task<bool> ChargeAsync(StoredCharge charge, CancellationToken cancellationToken = default);

    /// <summary>Keeps an accepted report as its sender signed it; false when its nation and sequence are kept already.</summary>
    Task<bool> KeepReportAsync(SignedUsageReport report, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);
}

/// <summary>A kept charge: the pure charge and what admission counts while the run is held (its user, course, whether borrowed).</summary>
public sealed record StoredCharge(UsageCharge Charge, string User, string? Course, bool Borrowed);

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
    public Task<bool> KeepReportAsync(SignedUsageReport report, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            return Task.FromResult(_reports.TryAdd((report.Report.Nation, report.Report.Sequence), report.Report));
        }
    }
}
