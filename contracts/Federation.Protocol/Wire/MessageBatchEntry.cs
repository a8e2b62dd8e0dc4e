using System.Text.Json;

namespace Federation.Protocol.Wire;

/// <summary>One message of a <see cref="MessageBatch"/>: the body it would carry on its own route.</summary>
public sealed class MessageBatchEntry
{
    /// <summary>The message's request id (the sender's outbox id), the same on every attempt; the receiver's answer names it.</summary>
    public Guid? Id { get; set; }

    /// <summary>What the entry carries: one of <see cref="MessageBatchKinds.All"/>.</summary>
    public string? Kind { get; set; }

    /// <summary>
    /// The W3C <c>traceparent</c> (<c>00-</c>32 hex<c>-</c>16 hex<c>-</c>2 hex) of the span that sent the entry, when the
    /// sender traces: the receiver handles the entry under it (what the <c>traceparent</c> header is for a
    /// message sent alone). Optional; a malformed one is refused like any bad field. Protocol 2 on.
    /// </summary>
    [Federation.Contracts.Json.SinceProtocol(2)]
    public string? TraceParent { get; set; }

    /// <summary>The body, exactly as on the message's own route (an offer, a report, a lease renewal or a cancellation).</summary>
    public JsonElement? Body { get; set; }
}
