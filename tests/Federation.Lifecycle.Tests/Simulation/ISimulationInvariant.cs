using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// A property every step of every run must keep. A fresh instance serves one run, so it may
/// remember what it saw (e.g. results accepted so far). Each check returns null when the property
/// holds and a sentence naming what broke it otherwise.
/// </summary>
public interface ISimulationInvariant<TState, TMessage, TCommand>
{
    /// <summary>A short name, printed with a violation.</summary>
    string Name { get; }

    /// <summary>Checks the run after <paramref name="nation"/> decided <paramref name="step"/> on <paramref name="input"/>.</summary>
    string? AfterStep(ISimulationView<TState> world, NationCode nation, SimulationInput<TMessage, TCommand> input, TState before, SimulationNodeStep<TState, TMessage, TCommand> step);

    /// <summary>Checks the run at its end (the network healed, every nation up, the run settled or out of time).</summary>
    string? AtEnd(ISimulationView<TState> world);
}
