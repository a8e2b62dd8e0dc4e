using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>A message in a nation's persisted outbox, resent until acknowledged.</summary>
/// <param name="Id">The request id, the same on every attempt (unique within the nation).</param>
/// <param name="To">The receiver.</param>
/// <param name="Message">The message.</param>
/// <param name="NextAttempt">When to resend it if no acknowledgement came (the nation's clock).</param>
/// <param name="Attempts">Sends so far.</param>
public sealed record SimulationOutboxEntry<TMessage>(long Id, NationCode To, TMessage Message, DateTimeOffset NextAttempt, int Attempts);
