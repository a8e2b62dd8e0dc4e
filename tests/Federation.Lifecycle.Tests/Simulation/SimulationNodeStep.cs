using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// What a simulated nation decided for one input: its new state (persisted whole: a node models what
/// an adapter does not persist by restoring it on <see cref="SimulationInput{TMessage, TCommand}.Restarted"/>),
/// the messages to send, the events it recorded, the rejection when it refused the input, timers to
/// set, calls to make, and the answer to the message it was given.
/// </summary>
/// <param name="State">The new state.</param>
/// <param name="Send">Messages the harness keeps in the nation's outbox and resends until an answer arrives.</param>
/// <param name="Events">What happened, for invariants and the trace.</param>
/// <param name="Rejected">What the nation's deciders refused in this step (one input may reach several deciders).</param>
/// <param name="Timers">Commands to give the nation itself later (lost if it crashes before).</param>
/// <param name="Calls">Requests sent once; the nation is told <see cref="SimulationInput{TMessage, TCommand}.Replied"/> or <see cref="SimulationInput{TMessage, TCommand}.CallFailed"/> with the tag.</param>
/// <param name="Reply">For a delivered message: the answer that travels back to the sender.</param>
public sealed record SimulationNodeStep<TState, TMessage, TCommand>(
    TState State,
    IReadOnlyList<(NationCode To, TMessage Message)> Send,
    IReadOnlyList<object> Events,
    IReadOnlyList<Rejection>? Rejected = null,
    IReadOnlyList<(TimeSpan After, TCommand Command)>? Timers = null,
    IReadOnlyList<(NationCode To, TMessage Message, object Tag)>? Calls = null,
    object? Reply = null);
