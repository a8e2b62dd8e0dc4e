using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Jobs;

namespace Federation.Grains.Access;

/// <summary>
/// The home's check of a data-access grant for one of its controlled datasets
/// (<see cref="DatasetAccess.RequiresGrant"/>) before it admits an offered job on it: the job's
/// owner, as its origin vouches for it in the offer, must hold a valid grant for the job's purpose.
/// The silo implements it (grant store, committee key, transparency log).
/// </summary>
public interface IDataAccessGate
{
    /// <summary>Null when <paramref name="offer"/> may read <paramref name="dataset"/>; otherwise why not, naming what is missing.</summary>
    Task<string?> CheckAsync(JobOffer offer, DatasetRecord dataset, CancellationToken cancellationToken);
}
