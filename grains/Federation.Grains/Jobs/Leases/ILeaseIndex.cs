namespace Federation.Grains.Jobs.Leases;

/// <summary>
/// The durable lease index of a nation: for every job or execution that must be woken if its
/// activation is lost (it holds or watches a lease, owes messages, or waits for its retention to
/// end), the time it is next due. The grains keep it (an entry when they need waking, none when
/// not); one sweeper per nation claims the due entries and wakes their grains (see
/// <see cref="LeaseSweeper"/>). Writes of many grains share transactions.
/// </summary>
public interface ILeaseIndex
{
    /// <summary>Writes the entry <paramref name="key"/> as due at <paramref name="due"/> (inserted or replaced).</summary>
    Task SetAsync(LeaseKey key, DateTimeOffset due, CancellationToken cancellationToken);

    /// <summary>Removes the entry <paramref name="key"/>; nothing when there is none.</summary>
    Task RemoveAsync(LeaseKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="limit"/> entries due at <paramref name="now"/> (earliest first) and
    /// makes each due again at <paramref name="next"/>, in one step: an entry is claimed by one sweep,
    /// and one that its grain does not settle comes back at <paramref name="next"/>.
    /// </summary>
    Task<IReadOnlyList<LeaseKey>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset next, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> entries of <paramref name="kind"/>, in key order, whatever their due
    /// time: for a draining nation, the executions it still holds or owes reports for.
    /// </summary>
    Task<IReadOnlyList<LeaseKey>> ListAsync(LeaseKind kind, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> entries due at or before <paramref name="before"/>, of either kind,
    /// in (kind, key) order after <paramref name="after"/> (none: from the first), changing nothing:
    /// the pages of a sweep that wakes every live grain after a silo failed.
    /// </summary>
    Task<IReadOnlyList<LeaseKey>> ListDueAsync(DateTimeOffset before, LeaseKey? after, int limit, CancellationToken cancellationToken);

    /// <summary>When the entry <paramref name="key"/> is due, or null when there is none.</summary>
    Task<DateTimeOffset?> DueAsync(LeaseKey key, CancellationToken cancellationToken);
}
