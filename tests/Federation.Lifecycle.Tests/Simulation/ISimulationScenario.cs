using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>A protocol under simulation: its nations' behaviour, a workload, and the invariants it must keep.</summary>
public interface ISimulationScenario<TState, TMessage, TCommand>
{
    /// <summary>Every nation's behaviour.</summary>
    ISimulationNode<TState, TMessage, TCommand> Node { get; }

    /// <summary>The users' commands of one run: when, to which nation, what.</summary>
    IEnumerable<(TimeSpan At, NationCode Nation, TCommand Command)> Workload(SimulationRandom random, IReadOnlyList<NationCode> nations, SimulationOptions options);

    /// <summary>Fresh invariants for one run.</summary>
    IReadOnlyList<ISimulationInvariant<TState, TMessage, TCommand>> Invariants();

    /// <summary>Null when the run's work is all done (the run may stop); otherwise what is still open.</summary>
    string? Unsettled(ISimulationView<TState> world);
}
