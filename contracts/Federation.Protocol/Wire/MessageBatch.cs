namespace Federation.Protocol.Wire;

/// <summary>
/// Body of <c>POST /federation/v1/jobs/batches</c>: several job messages to one nation in one request.
/// Each entry is checked and answered on its own (<see cref="MessageBatchAnswer"/>); one bad entry never
/// fails the others. Sent only to a nation whose <c>hello</c> advertises <see cref="HelloResponse.MessageBatches"/>,
/// within the limits it advertises.
/// </summary>
public sealed class MessageBatch
{
    /// <summary>The messages, 1 to the receiver's <see cref="BatchLimits.MaxMessages"/>.</summary>
    public List<MessageBatchEntry?>? Entries { get; set; }
}
