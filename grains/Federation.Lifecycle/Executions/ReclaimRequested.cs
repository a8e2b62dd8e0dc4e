namespace Federation.Lifecycle.Executions;

/// <summary>
/// This nation reclaims the accelerators a borrowed run holds (docs/fair-share.md, "Reclaim"): a running
/// workload is signalled to checkpoint and the epoch is given back (stopped, requeued at its origin)
/// once <paramref name="CheckpointGrace"/> has passed or the run has ended, whichever comes first. With
/// no grace, or no run going yet, it is <see cref="GiveBackRequested"/>: given back at once.
/// </summary>
/// <param name="Reason">Why (it starts with <c>reclaimed</c>; sent to the origin).</param>
/// <param name="CheckpointGrace">How long the workload has to checkpoint before it is stopped; zero or less stops it at once.</param>
public sealed record ReclaimRequested(string Reason, TimeSpan CheckpointGrace) : ExecutionInput;
