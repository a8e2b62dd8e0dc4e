using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Lifecycle.Executions;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The types of the simulated federation: nations running the real deciders (a
/// <see cref="JobLifecycle"/> per job they originated, an <see cref="ExecutionLifecycle"/> per epoch
/// offered to them) behind a model of their grains' adapters, and what the workload, the adapters
/// and the invariants say to each other.
/// </summary>
public static class FederationSimulation
{
    /// <summary>A user submits a job (again, perhaps: a retried submission) with the decision made at submission.</summary>
    public sealed record UserSubmits(JobSpec Spec, JobRef Job, RoutingDecision Decision) : Command;

    /// <summary>A user cancels a job in its origin.</summary>
    public sealed record UserCancels(JobRef Job) : Command;

    /// <summary>The planner answers a plan request (a timer of the origin).</summary>
    public sealed record PlanAnswered(JobRef Job, int Attempt) : Command;

    /// <summary>An effect that ran outside the execution's turn (staging, start, poll) reports back.</summary>
    public sealed record EffectDone(string Execution, string Effect) : Command;

    /// <summary>What users and timers ask of a nation.</summary>
    public abstract record Command;

    /// <summary>The tag of a call carrying an outbox message (of a job or an execution, by key).</summary>
    public sealed record OutboxCall(string Owner, Guid Id, string Kind);

    /// <summary>The tag of an execution's lease renewal.</summary>
    public sealed record RenewalCall(string Execution, Guid Id);

    /// <summary>A job in its origin: the decider's state as it is and as the grain last wrote it, and the decision to plan with.</summary>
    public sealed record OriginJob(JobLifecycleState Live, JobLifecycleState Written, RoutingDecision Decision);

    /// <summary>
    /// An execution: the decider's state as it is, what the grain last wrote (record, report sequence),
    /// the reports not yet acknowledged in memory and as last written (a live epoch writes a delivery at
    /// its next step, as <c>ExecutionGrain</c> does), and the renewal on its way (not written).
    /// </summary>
    public sealed record ExecutionSlot(
        ExecutionState Live,
        ExecutionRecord? WrittenRecord,
        long WrittenSequence,
        ImmutableList<OutboxMessage> Outbox,
        ImmutableList<OutboxMessage> WrittenOutbox,
        Guid? Renewal);

    /// <summary>A run's process: it lives outside the grain and goes on while its nation is down.</summary>
    public sealed record Process(JobRef Job, int Epoch, DateTimeOffset StartedAt, TimeSpan Duration, bool Stopped)
    {
        /// <summary>True while it runs at <paramref name="now"/> (the nation's clock).</summary>
        public bool RunningAt(DateTimeOffset now) => !Stopped && now < StartedAt + Duration;
    }

    /// <summary>
    /// One nation. Persisted (what grains and node grains write): jobs, executions, processes, free
    /// accelerators. In memory (lost in a crash, reset on restart): the outbox senders' state and
    /// the pre-offer fences.
    /// </summary>
    public sealed record Nation(
        ImmutableSortedDictionary<string, OriginJob> Jobs,
        ImmutableSortedDictionary<string, ExecutionSlot> Executions,
        ImmutableSortedDictionary<string, Process> Processes,
        int FreeAccelerators,
        long Counter,
        ImmutableSortedDictionary<Guid, (int Attempts, DateTimeOffset NextAt)> Retries,
        ImmutableSortedSet<Guid> InFlight,
        ImmutableSortedSet<string> PreOfferFences)
    {
        /// <summary>A nation with <paramref name="accelerators"/> free accelerators and nothing else.</summary>
        public static Nation Empty(int accelerators) => new(
            ImmutableSortedDictionary.Create<string, OriginJob>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, ExecutionSlot>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, Process>(StringComparer.Ordinal),
            accelerators,
            0,
            ImmutableSortedDictionary<Guid, (int, DateTimeOffset)>.Empty,
            [],
            ImmutableSortedSet.Create<string>(StringComparer.Ordinal));
    }

    /// <summary>An origin accepted a submission: from now on the job must not be lost.</summary>
    public sealed record JobAcknowledged(JobRef Job);

    /// <summary>An origin recorded an event of a job.</summary>
    public sealed record JobEventRecorded(JobRef Job, JobEvent Event);

    /// <summary>An origin accepted a report, while it held <paramref name="HeldEpoch"/> by <paramref name="HeldBy"/>.</summary>
    public sealed record ReportAccepted(JobRef Job, NationCode From, int Epoch, JobState State, int HeldEpoch, NationCode? HeldBy);

    /// <summary>An execution admitted an epoch in <paramref name="Nation"/>.</summary>
    public sealed record EpochAdmitted(JobRef Job, int Epoch, NationCode Nation);

    /// <summary>A run's process started in <paramref name="Nation"/>.</summary>
    public sealed record ProcessStarted(JobRef Job, int Epoch, NationCode Nation);

    /// <summary>A run's process was stopped.</summary>
    public sealed record ProcessStopped(JobRef Job, int Epoch, string Why);

    /// <summary>The key of an execution: job and epoch.</summary>
    public static string KeyOf(JobRef job, int epoch) => $"{job}#{epoch}";

    /// <summary>True for jobs the workload made home-only (their decision names only their origin).</summary>
    public static bool IsHomeOnly(JobRef job) => job.Id.StartsWith("home-", StringComparison.Ordinal);
}
