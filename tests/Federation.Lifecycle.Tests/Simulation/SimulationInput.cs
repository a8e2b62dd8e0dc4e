using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>What a simulated nation is given to decide on: one of the nested cases.</summary>
/// <typeparam name="TMessage">What nations send each other.</typeparam>
/// <typeparam name="TCommand">What users and the nation's own timers ask of it.</typeparam>
public abstract record SimulationInput<TMessage, TCommand>
{
    private SimulationInput()
    {
    }

    /// <summary>A message from <paramref name="From"/> arrived (perhaps late, perhaps twice).</summary>
    public sealed record Delivered(NationCode From, TMessage Message) : SimulationInput<TMessage, TCommand>;

    /// <summary>The nation's periodic timer fired (what the grains' timers do).</summary>
    public sealed record Ticked : SimulationInput<TMessage, TCommand>
    {
        /// <summary>The one tick (it carries nothing).</summary>
        public static readonly Ticked Instance = new();
    }

    /// <summary>A user (the workload) asked something of the nation.</summary>
    public sealed record Commanded(TCommand Command) : SimulationInput<TMessage, TCommand>;

    /// <summary>A timer the nation set itself fired (lost if the nation crashed in between).</summary>
    public sealed record TimerFired(TCommand Command) : SimulationInput<TMessage, TCommand>;

    /// <summary>A call the nation made was answered with <paramref name="Reply"/>.</summary>
    public sealed record Replied(object Tag, object? Reply) : SimulationInput<TMessage, TCommand>;

    /// <summary>A call the nation made got no answer in time (lost, link cut, receiver down).</summary>
    public sealed record CallFailed(object Tag, string Reason) : SimulationInput<TMessage, TCommand>;

    /// <summary>The nation came back after a crash, from its persisted state.</summary>
    public sealed record Restarted : SimulationInput<TMessage, TCommand>
    {
        /// <summary>The one restart input.</summary>
        public static readonly Restarted Instance = new();
    }
}
