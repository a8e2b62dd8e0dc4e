using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Grains.Jobs;

/// <summary>
/// What a job grain persists, in one write: the <see cref="JobLifecycleState"/> member by member
/// (the record, its events, its outbox and the clocks the decider keeps).
/// </summary>
[GenerateSerializer, Alias("fed.JobGrainState")]
public sealed class JobGrainState
{
    /// <summary>The job; null until submitted.</summary>
    [Id(0)] public JobRecord? Record { get; set; }

    /// <summary>Every event kept, oldest first.</summary>
    [Id(1)] public List<JobEvent> Events { get; set; } = [];

    /// <summary>Messages to peers not yet acknowledged.</summary>
    [Id(2)] public List<OutboxMessage> Outbox { get; set; } = [];

    /// <summary>Plan requests made so far; an answer to an older one is ignored.</summary>
    [Id(3)] public int PlanAttempt { get; set; }

    /// <summary>Nations that refused the job under its current decision (tried next in rank order).</summary>
    [Id(4)] public List<NationCode> RefusedUnderDecision { get; set; } = [];

    /// <summary>The last report sequence accepted for the current epoch.</summary>
    [Id(5)] public long LastReportSequence { get; set; }

    /// <summary>When the executing nation last showed it holds the lease.</summary>
    [Id(6)] public DateTimeOffset? LeaseRenewedAt { get; set; }

    /// <summary>Messages written to the outbox so far (numbers their request ids).</summary>
    [Id(7)] public long OutboxSequence { get; set; }

    /// <summary>The request id of the half-lease probe on its way, if any.</summary>
    [Id(8)] public Guid? ProbeId { get; set; }

    /// <summary>When a pending job is planned again.</summary>
    [Id(9)] public DateTimeOffset NextPlanAt { get; set; }

    /// <summary>When the plan now awaited was requested.</summary>
    [Id(10)] public DateTimeOffset? PlanRequestedAt { get; set; }

    /// <summary>The W3C <c>traceparent</c> the job was submitted under, null when not traced.</summary>
    [Id(11)] public string? TraceParent { get; set; }

    /// <summary>The time shift a deferrable job is held under until its window; null when not held.</summary>
    [Id(12)] public TimeShift? Deferral { get; set; }

    /// <summary>The decider's view of this state.</summary>
    public JobLifecycleState ToLifecycle(JobRef job) => new()
    {
        Job = job,
        Record = Record,
        Events = [.. Events],
        Outbox = [.. Outbox],
        PlanAttempt = PlanAttempt,
        RefusedUnderDecision = [.. RefusedUnderDecision],
        LastReportSequence = LastReportSequence,
        LeaseRenewedAt = LeaseRenewedAt,
        OutboxSequence = OutboxSequence,
        ProbeId = ProbeId,
        NextPlanAt = NextPlanAt,
        PlanRequestedAt = PlanRequestedAt,
        TraceParent = TraceParent,
        Deferral = Deferral,
    };

    /// <summary>The storage shape of <paramref name="state"/>.</summary>
    public static JobGrainState From(JobLifecycleState state) => new()
    {
        Record = state.Record,
        Events = [.. state.Events],
        Outbox = [.. state.Outbox],
        PlanAttempt = state.PlanAttempt,
        RefusedUnderDecision = [.. state.RefusedUnderDecision],
        LastReportSequence = state.LastReportSequence,
        LeaseRenewedAt = state.LeaseRenewedAt,
        OutboxSequence = state.OutboxSequence,
        ProbeId = state.ProbeId,
        NextPlanAt = state.NextPlanAt,
        PlanRequestedAt = state.PlanRequestedAt,
        TraceParent = state.TraceParent,
        Deferral = state.Deferral,
    };
}
