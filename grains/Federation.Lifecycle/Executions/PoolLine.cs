using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Executions;

/// <summary>One accelerator model in one of this nation's pools, as the adapter found it now.</summary>
/// <param name="Pool">The pool's name.</param>
/// <param name="Slurm">True for a Slurm pool, false for agent-managed GPU nodes.</param>
/// <param name="Slug">The accelerator model.</param>
/// <param name="Free">Accelerators free now.</param>
/// <param name="Total">Accelerators in service.</param>
/// <param name="MemoryGb">The model's memory, from the reference tables (0 when unknown).</param>
public sealed record PoolLine(string Pool, bool Slurm, AcceleratorSlug Slug, int Free, int Total, double MemoryGb)
{
    /// <summary>How many runs ranked ahead of the reader in the line for this nation's agent-managed accelerators want one of the models it can use; 0 when it is not in line.</summary>
    public int Ahead { get; init; }
}
