using Federation.Contracts.Ids;

namespace Federation.Execution.Staging;

/// <summary>One input in the job directory.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="LocalPath">Where the workload reads it.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Transferred">True when it was copied from another nation (counted in transfer energy).</param>
public sealed record StagedInput(DatasetRef Dataset, string LocalPath, long Bytes, bool Transferred);
