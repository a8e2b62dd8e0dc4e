using Federation.Contracts.Access;
using Federation.Contracts.Ids;

namespace Federation.Silo.Access;

/// <summary>
/// The data access committee's grants and key: in PostgreSQL (tables <c>data_access_grant</c> and
/// <c>access_committee_key</c>, migration 0008) or in memory (embedded mode), with the same answers.
/// </summary>
public interface IDataAccessGrantStore
{
    /// <summary>Adds a new grant (a request); false when one with its id exists (the stored one stays).</summary>
    Task<bool> AddAsync(DataAccessGrant grant, CancellationToken ct);

    /// <summary>The grant <paramref name="id"/>, or null.</summary>
    Task<DataAccessGrant?> GetAsync(string id, CancellationToken ct);

    /// <summary>The grants of <paramref name="dataset"/> (every dataset when null), ordered by dataset and id.</summary>
    Task<IReadOnlyList<DataAccessGrant>> ListAsync(DatasetId? dataset, CancellationToken ct);

    /// <summary>Replaces the grant with <paramref name="grant"/> if it is still in <paramref name="expected"/>; false otherwise (someone changed it first).</summary>
    Task<bool> UpdateAsync(DataAccessGrant grant, DataAccessGrantStatus expected, CancellationToken ct);

    /// <summary>The committee's private key (PKCS#8): the stored one, or <paramref name="candidate"/> when none was stored yet.</summary>
    Task<byte[]> CommitteeKeyAsync(byte[] candidate, DateTimeOffset now, CancellationToken ct);
}
