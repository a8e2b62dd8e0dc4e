using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Executions;

/// <summary>An ending decided but not yet written: it waits for the run's bill.</summary>
/// <param name="Outcome">The final state (or requeued, for a give-back).</param>
/// <param name="Message">Why.</param>
/// <param name="Progress">The progress reached.</param>
/// <param name="Fenced">True when the origin fenced the epoch: nothing is reported.</param>
/// <param name="Bill">The bill asked for, asked again when it could not be computed.</param>
public sealed record PendingFinish(JobState Outcome, string Message, double Progress, bool Fenced, BillRun Bill)
{
    /// <summary>When the bill is asked for again after it failed; null while it is asked for.</summary>
    public DateTimeOffset? BillAgainAt { get; init; }

    /// <summary>How many times the bill could not be computed.</summary>
    public int BillFailures { get; init; }
}
