namespace Federation.Execution.Slurm;

/// <summary>GPUs of one type over the usable nodes (neither down nor drained) of a cluster or partition.</summary>
/// <param name="Type">The GPU type as configured (<c>h100</c> in <c>gpu:h100:4</c>); empty for GPUs configured without one.</param>
/// <param name="Total">How many the nodes have.</param>
/// <param name="Used">How many running jobs hold.</param>
public sealed record SlurmGres(string Type, int Total, int Used);
