namespace Federation.Execution;

/// <summary>
/// Which executor runs an epoch. On the wire, in configuration and in persisted records it is the
/// lower-case word (<c>simulated</c>, <c>process</c>, <c>slurm</c>, <c>federated</c>); <see cref="ExecutorKinds"/> maps both ways.
/// </summary>
public enum ExecutorKind
{
    /// <summary>Nothing runs: the run lasts the estimated time, scaled (<see cref="ExecutorSettings.SecondsPerEstimatedHour"/>).</summary>
    Simulated = 0,

    /// <summary>A detached runner process per job on this machine.</summary>
    Process = 1,

    /// <summary>A Slurm batch job in a Slurm-managed pool.</summary>
    Slurm = 2,

    /// <summary>
    /// A federated run coordinated here, at the aggregating nation: the data nations train at home and send
    /// masked updates through the round protocol. Every job with a federated spec runs on it.
    /// </summary>
    Federated = 3,
}
