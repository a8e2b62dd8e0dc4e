using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// One nation's behaviour as a pure function: (state, input, the nation's clock) → step. The harness
/// plays the adapter around it: it persists the state and an outbox of the messages to send, sends,
/// resends what is not acknowledged, delivers ticks and timers, and after a crash resumes from the
/// persisted state with <see cref="SimulationInput{TMessage, TCommand}.Restarted"/>.
/// </summary>
public interface ISimulationNode<TState, TMessage, TCommand>
{
    /// <summary>The state of a nation that has never run.</summary>
    TState Initial(NationCode nation);

    /// <summary>Decides on one input at <paramref name="now"/> (the nation's own, possibly skewed, clock).</summary>
    SimulationNodeStep<TState, TMessage, TCommand> Step(NationCode nation, TState state, SimulationInput<TMessage, TCommand> input, DateTimeOffset now);

    /// <summary>A short readable text for a message, command or event, for traces.</summary>
    string Describe(object item);
}
