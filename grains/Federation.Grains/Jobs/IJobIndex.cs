using Federation.Contracts.Jobs;

namespace Federation.Grains.Jobs;

/// <summary>The read model of jobs this nation originated, for listing at scale; kept by the job grains.</summary>
public interface IJobIndex
{
    /// <summary>Writes <paramref name="job"/> unless a newer version is stored already.</summary>
    Task UpsertAsync(JobRecord job, CancellationToken cancellationToken);

    /// <summary>One page of jobs.</summary>
    Task<JobPage> QueryAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>Removes a job (after its retention).</summary>
    Task RemoveAsync(string job, CancellationToken cancellationToken);
}
