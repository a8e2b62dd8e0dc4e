namespace Federation.Lifecycle.Jobs;

/// <summary>
/// The origin's grain was activated again (after a restart or a move): the executing nation's lease
/// counts from now (the silence while the origin was away is not its fault), and a plan awaited by
/// the previous activation is requested again.
/// </summary>
public sealed record ClockResumed : JobInput;
