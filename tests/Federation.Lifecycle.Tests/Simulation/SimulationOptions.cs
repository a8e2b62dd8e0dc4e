using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The shape of every simulated run. A run has a chaos phase (<see cref="ChaosDuration"/>: faults
/// drawn per seed up to the maxima here) and then a settling phase: links healed, crashed nations
/// restarted, the network calm, until the scenario has settled or <see cref="SettleBound"/> has passed
/// (which is then a liveness violation).
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>The nations of a run.</summary>
    public IReadOnlyList<NationCode> Nations { get; init; } = [Nation("FR"), Nation("DE"), Nation("IT")];

    /// <summary>How long faults are injected.</summary>
    public TimeSpan ChaosDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long after the chaos phase the scenario has to settle.</summary>
    public TimeSpan SettleBound { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The period of each nation's timer (the grains' tick).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How much a tick may come late (timers are not exact).</summary>
    public TimeSpan TickJitter { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long an unacknowledged outbox message waits before it is resent.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a caller waits for the answer to a call before it is told the call failed.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The documented bound on clock skew: each nation's clock is off the true time by a fixed
    /// amount drawn in [-bound, +bound] per seed, so two nations differ by up to twice the bound.
    /// </summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The worst network faults of the chaos phase.</summary>
    public SimulationNetworkFaults MaxFaults { get; init; } = new() { Drop = 0.2, Duplicate = 0.2, Slow = 0.1 };

    /// <summary>How messages between nations are batched (the batched federation transport); <see langword="null"/>: one per request.</summary>
    public SimulationNetworkBatching? Batching { get; init; }

    /// <summary>At most this many crashes per nation in the chaos phase.</summary>
    public int MaxCrashesPerNation { get; init; } = 2;

    /// <summary>The longest a crashed nation stays down in the chaos phase.</summary>
    public TimeSpan MaxDowntime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many link cuts in the chaos phase.</summary>
    public int MaxLinkCuts { get; init; } = 3;

    /// <summary>The longest a link stays cut in the chaos phase.</summary>
    public TimeSpan MaxCutDuration { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>The worst probability, per step, of a crash after the state is persisted and before its messages are sent.</summary>
    public double MaxCrashBeforeSend { get; init; } = 0.01;

    /// <summary>How many trace lines a traced run keeps (the last ones).</summary>
    public int TraceCapacity { get; init; } = 3000;

    /// <summary>Parses a nation code for options and tests.</summary>
    public static NationCode Nation(string code) =>
        NationCode.TryParse(code, out var nation, out var error) ? nation : throw new ArgumentException(error, nameof(code));
}
