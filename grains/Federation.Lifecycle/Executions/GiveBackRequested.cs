namespace Federation.Lifecycle.Executions;

/// <summary>
/// The executing nation's operator gives the epoch back (the nation drains with <c>--give-back</c>):
/// the run stops and the origin is told the epoch is requeued, so that it plans the job again with
/// the next epoch, elsewhere. A give-back is not a failure and not a cancellation.
/// </summary>
/// <param name="Reason">Why, in the operator's words (sent to the origin).</param>
public sealed record GiveBackRequested(string Reason) : ExecutionInput;
