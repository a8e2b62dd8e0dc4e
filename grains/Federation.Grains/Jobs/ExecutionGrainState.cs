using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Grains.Jobs;

/// <summary>What an execution grain persists: the record and its outbox of reports, written together.</summary>
[GenerateSerializer, Alias("fed.ExecutionGrainState")]
public sealed class ExecutionGrainState
{
    /// <summary>The execution; null until offered.</summary>
    [Id(0)] public ExecutionRecord? Record { get; set; }

    /// <summary>Reports to the origin not yet acknowledged.</summary>
    [Id(1)] public List<OutboxMessage> Outbox { get; set; } = [];

    /// <summary>The sequence number of the last report written.</summary>
    [Id(2)] public long ReportSequence { get; set; }

    /// <summary>True when the origin fenced this epoch before any offer for it arrived: a late offer is refused.</summary>
    [Id(3)] public bool FencedBeforeOffer { get; set; }

    /// <summary>The W3C <c>traceparent</c> the offer arrived under (null when not traced): the reports sent for the job join that trace.</summary>
    [Id(4)] public string? TraceParent { get; set; }
}
