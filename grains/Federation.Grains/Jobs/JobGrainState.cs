using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Grains.Jobs;

/// <summary>What a job grain persists: the record, its events and its outbox, written together.</summary>
[GenerateSerializer, Alias("fed.JobGrainState")]
public sealed class JobGrainState
{
    /// <summary>The job; null until submitted.</summary>
    [Id(0)] public JobRecord? Record { get; set; }

    /// <summary>Every event, oldest first.</summary>
    [Id(1)] public List<JobEvent> Events { get; set; } = [];

    /// <summary>Messages to peers not yet acknowledged.</summary>
    [Id(2)] public List<OutboxMessage> Outbox { get; set; } = [];

    /// <summary>Plan requests made so far; an answer to an older one is ignored.</summary>
    [Id(3)] public int PlanAttempt { get; set; }

    /// <summary>Nations that refused the job under its current decision (tried next in rank order).</summary>
    [Id(4)] public List<NationCode> RefusedUnderDecision { get; set; } = [];

    /// <summary>The last report sequence accepted for the current epoch.</summary>
    [Id(5)] public long LastReportSequence { get; set; }
}
