namespace Federation.Silo.Governance;

/// <summary>Applied roster versions in memory: a nation without a roster file or database forgets them on restart.</summary>
public sealed class MemoryRosterVersionStore : IRosterVersionStore
{
    private readonly Lock _gate = new();
    private readonly List<AppliedRosterVersion> _versions = [];

    /// <inheritdoc />
    public Task<IReadOnlyList<AppliedRosterVersion>> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AppliedRosterVersion>>([.. _versions]);
        }
    }

    /// <inheritdoc />
    public Task SaveAsync(AppliedRosterVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_gate)
        {
            _versions.Add(version);
        }

        return Task.CompletedTask;
    }
}
