using Federation.Contracts.Jobs;

namespace Federation.Execution.Staging;

/// <summary>
/// Puts a job's inputs into its directory before it runs: this nation's own datasets are linked
/// from where they live; datasets of other nations whose conditions let them move here are copied
/// over the Federation API and checked against the sha256 their home states. A partial or
/// mismatching copy is removed.
/// </summary>
public interface IDatasetStager
{
    /// <summary>Stages every input of <paramref name="spec"/> into <paramref name="directory"/>.</summary>
    Task<StagingResult> StageAsync(JobSpec spec, JobDirectory directory, CancellationToken cancellationToken);
}
