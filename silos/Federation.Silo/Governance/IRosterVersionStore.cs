namespace Federation.Silo.Governance;

/// <summary>
/// Where a nation keeps the signed roster versions it applied (version 2 onwards; version 1 is the
/// roster file). On start the chain is read back and checked again from the roster file.
/// </summary>
public interface IRosterVersionStore
{
    /// <summary>Every applied version, in version order.</summary>
    Task<IReadOnlyList<AppliedRosterVersion>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="version"/> (its number is one more than the last kept one).</summary>
    Task SaveAsync(AppliedRosterVersion version, CancellationToken cancellationToken);
}
