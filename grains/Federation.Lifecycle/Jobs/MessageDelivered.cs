using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Jobs;

/// <summary>A send of an outbox message ended: delivered with the peer's answer, or not delivered.</summary>
/// <param name="MessageId">The message's request id.</param>
/// <param name="Delivery">How it ended.</param>
/// <param name="Attempts">For a failed send: the failed attempts so far.</param>
public sealed record MessageDelivered(Guid MessageId, Delivery Delivery, int Attempts) : JobInput;
