using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Jobs;

/// <summary>
/// One step of <see cref="JobLifecycle"/>: the decision, and the answer owed to the sender of a
/// report or a lease renewal (set only for those inputs).
/// </summary>
/// <param name="Decision">The new state, the messages to send and the events to record, or the rejection.</param>
/// <param name="ReportAnswer">For <see cref="ReportReceived"/>: what the executing nation is told.</param>
/// <param name="LeaseAnswer">For <see cref="RenewalReceived"/>: what the executing nation is told.</param>
public sealed record JobStep(
    Decision<JobLifecycleState, JobEvent> Decision,
    ReportAnswer? ReportAnswer = null,
    LeaseAnswer? LeaseAnswer = null)
{
    /// <summary>The state after the step.</summary>
    public JobLifecycleState State => Decision.State;
}
