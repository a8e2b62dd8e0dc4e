using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Jobs;

/// <summary>
/// Everything the origin knows about one job, as <see cref="JobLifecycle"/> reads and returns it:
/// the record, its events, the outbox of messages to peers, the planning and lease clocks. The
/// grain persists it as it is (its storage shape mirrors these members).
/// </summary>
public sealed record JobLifecycleState
{
    /// <summary>The job's global id.</summary>
    public required JobRef Job { get; init; }

    /// <summary>The job; null until submitted.</summary>
    public JobRecord? Record { get; init; }

    /// <summary>The events kept (the newest <see cref="JobLifecycleSettings.MaxEvents"/>), oldest first.</summary>
    public ImmutableList<JobEvent> Events { get; init; } = [];

    /// <summary>Messages to peers not yet acknowledged, oldest first.</summary>
    public ImmutableList<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>Plan requests made so far; an answer to an older one is refused as stale.</summary>
    public int PlanAttempt { get; init; }

    /// <summary>Nations that refused the job under its current decision (the next is tried in rank order).</summary>
    public ImmutableList<NationCode> RefusedUnderDecision { get; init; } = [];

    /// <summary>The last report sequence accepted for the current epoch.</summary>
    public long LastReportSequence { get; init; }

    /// <summary>When the executing nation last showed it holds the lease (admission, report or renewal).</summary>
    public DateTimeOffset? LeaseRenewedAt { get; init; }

    /// <summary>Messages written to the outbox so far; numbers their request ids.</summary>
    public long OutboxSequence { get; init; }

    /// <summary>The request id of the half-lease probe on its way, if any.</summary>
    public Guid? ProbeId { get; init; }

    /// <summary>When a pending job is planned again.</summary>
    public DateTimeOffset NextPlanAt { get; init; }

    /// <summary>When the plan now awaited was requested; null when no plan is awaited.</summary>
    public DateTimeOffset? PlanRequestedAt { get; init; }

    /// <summary>The W3C <c>traceparent</c> the job was submitted under (null when not traced), carried by every message it sends.</summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// The time shift a deferrable job is held under until its window (what it avoids against running
    /// when it was first deferred); null when it is not held. Cleared when the job is offered at its window.
    /// </summary>
    public TimeShift? Deferral { get; init; }

    /// <summary>The state of a job never submitted.</summary>
    public static JobLifecycleState Empty(JobRef job) => new() { Job = job };
}
