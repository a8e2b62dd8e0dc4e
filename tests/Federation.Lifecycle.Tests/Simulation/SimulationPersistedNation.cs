using System.Collections.Immutable;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>What a simulated nation's adapter has written: the decider's state and the outbox, written before any send.</summary>
/// <param name="State">The node's state.</param>
/// <param name="Outbox">Messages not yet acknowledged.</param>
/// <param name="NextMessageId">The next request id.</param>
public sealed record SimulationPersistedNation<TState, TMessage>(
    TState State,
    ImmutableList<SimulationOutboxEntry<TMessage>> Outbox,
    long NextMessageId);
