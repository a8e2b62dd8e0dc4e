using Federation.Contracts.Access;
using Federation.Contracts.Ids;

namespace Federation.Silo.Access;

/// <summary>Data-access grants of an embedded nation: in memory, gone with the process (its committee key too).</summary>
public sealed class InMemoryDataAccessGrantStore : IDataAccessGrantStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DataAccessGrant> _grants = new(StringComparer.Ordinal);
    private byte[]? _key;

    /// <inheritdoc />
    public Task<bool> AddAsync(DataAccessGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        lock (_lock)
        {
            return Task.FromResult(_grants.TryAdd(grant.Id, grant));
        }
    }

    /// <inheritdoc />
    public Task<DataAccessGrant?> GetAsync(string id, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_grants.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DataAccessGrant>> ListAsync(DatasetId? dataset, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<DataAccessGrant>>([.. _grants.Values
                .Where(g => dataset is null || g.Dataset.Dataset == dataset.Value)
                .OrderBy(g => g.Dataset.Dataset.Value, StringComparer.Ordinal).ThenBy(g => g.Id, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(DataAccessGrant grant, DataAccessGrantStatus expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        lock (_lock)
        {
            if (!_grants.TryGetValue(grant.Id, out var stored) || stored.Status != expected)
            {
                return Task.FromResult(false);
            }

            _grants[grant.Id] = grant;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<byte[]> CommitteeKeyAsync(byte[] candidate, DateTimeOffset now, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_key ??= candidate);
        }
    }
}
