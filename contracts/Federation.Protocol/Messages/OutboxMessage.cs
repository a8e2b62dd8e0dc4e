using Federation.Contracts.Ids;

namespace Federation.Protocol.Messages;

/// <summary>
/// A message to a peer nation, persisted in the sending grain's state before it is sent and
/// retried with the same request id until the peer acknowledges it.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.OutboxMessage")]
public sealed record OutboxMessage
{
    /// <summary>The request id, the same on every attempt.</summary>
    [Id(0)] public required Guid Id { get; init; }

    /// <summary>The receiving nation.</summary>
    [Id(1)] public required NationCode To { get; init; }

    /// <summary>When it was written.</summary>
    [Id(2)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>What it carries.</summary>
    [Id(3)] public required FederationMessage Message { get; init; }

    /// <summary>Attempts so far.</summary>
    [Id(4)] public int Attempts { get; init; }

    /// <summary>The last failure, if any.</summary>
    [Id(5)] public string? LastError { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span the message belongs to (the job's), null when not traced:
    /// the courier sends it under a child span, so the receiver's spans join the sender's trace.
    /// </summary>
    [Id(6)] public string? TraceParent { get; init; }

    /// <summary>What the message carries, for logs.</summary>
    public string Kind => Message.Kind;

    /// <summary>A new message to <paramref name="to"/> with a fresh request id.</summary>
    public static OutboxMessage Create(NationCode to, FederationMessage message, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), To = to, CreatedAt = now, Message = message };
}
