using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>
/// A message to a peer nation, persisted in the sending grain's state before it is sent and
/// retried with the same request id until the peer acknowledges it. Exactly one payload is set.
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

    /// <summary>An offer.</summary>
    [Id(3)] public JobOffer? Offer { get; init; }

    /// <summary>An execution report.</summary>
    [Id(4)] public ExecutionReport? Report { get; init; }

    /// <summary>A cancellation.</summary>
    [Id(5)] public JobCancellation? Cancellation { get; init; }

    /// <summary>Attempts so far.</summary>
    [Id(6)] public int Attempts { get; init; }

    /// <summary>The last failure, if any.</summary>
    [Id(7)] public string? LastError { get; init; }

    /// <summary>A lease renewal (sent from state on every tick, never queued: a late renewal is worthless).</summary>
    [Id(8)] public LeaseRenewal? Renewal { get; init; }

    /// <summary>What the message carries, for logs.</summary>
    public string Kind => Offer is not null ? "offer" : Report is not null ? "report" : Cancellation is not null ? "cancellation" : Renewal is not null ? "lease renewal" : "empty";
}
