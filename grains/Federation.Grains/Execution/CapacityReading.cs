using System.Collections.Immutable;
using Federation.Lifecycle.Executions;

namespace Federation.Grains.Execution;

/// <summary>The pools' capacity and what foreign jobs hold, read together for one admission.</summary>
/// <param name="Pools">Capacity per pool and model, pools in their configured order.</param>
/// <param name="ForeignHeld">Accelerators held by other nations' jobs, in agent and Slurm pools alike.</param>
public sealed record CapacityReading(ImmutableArray<PoolLine> Pools, int ForeignHeld);
