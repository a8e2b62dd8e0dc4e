using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Executions;

/// <summary>What the adapter gathers before a run can be placed: the workload's standing and the pools' capacity.</summary>
/// <param name="Local">This nation.</param>
/// <param name="WorkloadAllowed">True while the workload is on this nation's allow-list.</param>
/// <param name="Simulated">True when the workload is run by the simulated executor.</param>
/// <param name="Pools">The capacity snapshot, one line per pool and model.</param>
public sealed record LaunchFacts(NationCode Local, bool WorkloadAllowed, bool Simulated, ImmutableArray<PoolLine> Pools);
