namespace Federation.Grains.Jobs.Leases;

/// <summary>The lease index of an embedded (in-memory) silo: lost with the silo, like its grains' state.</summary>
public sealed class InMemoryLeaseIndex : ILeaseIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<LeaseKey, DateTimeOffset> _entries = [];

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task SetAsync(LeaseKey key, DateTimeOffset due, CancellationToken cancellationToken)
    {
        LeaseKey.Validate(key, nameof(key));
        lock (_gate)
        {
            _entries[key] = due;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(LeaseKey key, CancellationToken cancellationToken)
    {
        LeaseKey.Validate(key, nameof(key));
        lock (_gate)
        {
            _entries.Remove(key);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LeaseKey>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset next, int limit, CancellationToken cancellationToken)
    {
        LeaseClaims.Validate(now, next, limit);
        lock (_gate)
        {
            var due = _entries.Where(e => LeaseRule.IsDue(e.Value, now))
                .OrderBy(e => e.Value)
                .ThenBy(e => LeaseKey.Name(e.Key.Kind), StringComparer.Ordinal)
                .ThenBy(e => e.Key.Key, StringComparer.Ordinal)
                .Take(limit)
                .Select(e => e.Key)
                .ToList();
            foreach (var key in due)
            {
                _entries[key] = next;
            }

            return Task.FromResult<IReadOnlyList<LeaseKey>>(due);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LeaseKey>> ListAsync(LeaseKind kind, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<LeaseKey>>([.. _entries.Keys.Where(k => k.Kind == kind).OrderBy(k => k.Key, StringComparer.Ordinal).Take(limit)]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LeaseKey>> ListDueAsync(DateTimeOffset before, LeaseKey? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<LeaseKey>>([.. _entries
                .Where(e => LeaseRule.IsDue(e.Value, before) && (after is not { } cursor || LeaseKey.Compare(e.Key, cursor) > 0))
                .Select(e => e.Key)
                .Order(Comparer<LeaseKey>.Create(LeaseKey.Compare))
                .Take(limit)]);
        }
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> DueAsync(LeaseKey key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(key, out var due) ? due : (DateTimeOffset?)null);
        }
    }
}
