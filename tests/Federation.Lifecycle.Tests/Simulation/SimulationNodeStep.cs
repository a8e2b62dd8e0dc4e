using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// What a simulated nation decided for one input: its new state (all of it is persisted, as the
/// grains persist state and outbox before sending), the messages to send, the events it recorded,
/// timers to set, and the rejection when it refused the input.
/// </summary>
public sealed record SimulationNodeStep<TState, TMessage, TCommand>(
    TState State,
    IReadOnlyList<(NationCode To, TMessage Message)> Send,
    IReadOnlyList<object> Events,
    Rejection? Rejected = null,
    IReadOnlyList<(TimeSpan After, TCommand Command)>? Timers = null);
