namespace Federation.Protocol.Wire;

/// <summary>Answer of <c>POST /federation/v1/jobs/batches</c>: one outcome per entry, in the entries' order.</summary>
public sealed class MessageBatchAnswer
{
    /// <summary>The outcome of each entry, index for index.</summary>
    public required IReadOnlyList<MessageBatchOutcome> Entries { get; init; }
}
