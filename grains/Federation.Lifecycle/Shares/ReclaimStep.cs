namespace Federation.Lifecycle.Shares;

/// <summary>One borrowed run that gives its accelerators back.</summary>
/// <param name="Run">The run.</param>
/// <param name="Requeue">True: signal it to checkpoint and requeue it; false: let it drain (its walltime ends within the grace).</param>
/// <param name="ReturnBy">When its accelerators are back at the latest.</param>
public sealed record ReclaimStep(HeldRun Run, bool Requeue, DateTimeOffset ReturnBy);
