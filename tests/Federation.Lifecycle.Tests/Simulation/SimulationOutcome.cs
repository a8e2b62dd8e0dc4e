using System.Globalization;
using System.Text;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>How one seed's run ended.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Violation">The broken invariant and what broke it, or null.</param>
/// <param name="Steps">Decisions taken by nations.</param>
/// <param name="Elapsed">True time simulated.</param>
/// <param name="Rejections">Inputs refused by the nations, by rule.</param>
/// <param name="CommandsWhileDown">User commands refused by the harness because their nation was down.</param>
/// <param name="Trace">The run's trace when it was traced.</param>
public sealed record SimulationOutcome(
    long Seed,
    string? Violation,
    long Steps,
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, int> Rejections,
    int CommandsWhileDown,
    SimulationTrace? Trace)
{
    /// <summary>The environment that replays this run, when it is more than the seed (a test-only variant, say).</summary>
    public string? ReplayWith { get; init; }

    /// <summary>True when no invariant was broken.</summary>
    public bool Passed => Violation is null;

    /// <summary>The seed, the violation, how to replay it, and the trace when there is one.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"seed {Seed}: {Violation ?? "no violation"} (after {Steps} steps, {Elapsed.TotalSeconds:F3}s simulated); replay with {ReplayWith ?? $"{SimulationRunner.SeedVariable}={Seed}"}\n");
        if (Trace is not null)
        {
            text.Append(Trace);
        }

        return text.ToString();
    }
}
