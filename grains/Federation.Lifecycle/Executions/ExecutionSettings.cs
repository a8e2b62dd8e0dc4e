using Federation.Reference;

namespace Federation.Lifecycle.Executions;

/// <summary>The timings an execution's decider works with.</summary>
public sealed record ExecutionSettings
{
    /// <summary>How often the lease is renewed with the origin.</summary>
    public TimeSpan RenewEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long before the lease ends a run that could not renew is stopped and given back.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a running job reports progress, at most.</summary>
    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a run outside the grain (process, Slurm) is looked at.</summary>
    public TimeSpan PollEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run waiting for accelerators waits before it looks again, unless <see cref="Woken"/> first.</summary>
    public TimeSpan QueuedRecheck { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wall-clock seconds a simulated run takes per hour of estimated run time: its walltime is scaled the same way.</summary>
    public double SimulatedSecondsPerHour { get; init; } = 60;

    /// <summary>How long past its walltime a run may go before the execution stops it itself (the executor should have).</summary>
    public TimeSpan WalltimeGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The reference tables the accelerator-fit rule reads (the nation's, overrides included).</summary>
    public ReferenceTables Reference { get; init; } = ReferenceTables.Shipped;
}
