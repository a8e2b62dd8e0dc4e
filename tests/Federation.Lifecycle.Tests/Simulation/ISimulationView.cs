using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>What invariants and workloads may read of a simulated run.</summary>
public interface ISimulationView<TState>
{
    /// <summary>True time since the run started.</summary>
    TimeSpan Elapsed { get; }

    /// <summary>The nations, indexed as everywhere else in the run.</summary>
    IReadOnlyList<NationCode> Nations { get; }

    /// <summary>True once the chaos phase is over (links healed, nations up, network calm).</summary>
    bool ChaosOver { get; }

    /// <summary>The run's options.</summary>
    SimulationOptions Options { get; }

    /// <summary>A nation's current state (for a nation that is down: what it last persisted).</summary>
    TState StateOf(int nation);

    /// <summary>True when the nation is running.</summary>
    bool IsUp(int nation);

    /// <summary>How far the nation's clock is off the true time.</summary>
    TimeSpan SkewOf(int nation);

    /// <summary>The index of <paramref name="nation"/>.</summary>
    int IndexOf(NationCode nation);
}
