using System.Text.Json;

namespace Federation.Protocol.Wire;

/// <summary>One message of a <see cref="MessageBatch"/>: the body it would carry on its own route.</summary>
public sealed class MessageBatchEntry
{
    /// <summary>The message's request id (the sender's outbox id), the same on every attempt; the receiver's answer names it.</summary>
    public Guid? Id { get; set; }

    /// <summary>What the entry carries: one of <see cref="MessageBatchKinds.All"/>.</summary>
    public string? Kind { get; set; }

    /// <summary>The body, exactly as on the message's own route (an offer, a report, a lease renewal or a cancellation).</summary>
    public JsonElement? Body { get; set; }
}
