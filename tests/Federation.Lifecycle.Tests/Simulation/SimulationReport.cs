using System.Globalization;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>What a batch of seeds found.</summary>
/// <param name="Seeds">Seeds run.</param>
/// <param name="Failures">The failing seeds' outcomes, lowest seed first; the first is traced.</param>
/// <param name="Steps">Decisions taken in all runs.</param>
/// <param name="Rejections">Inputs refused by the nations in all runs, by rule.</param>
/// <param name="CommandsWhileDown">User commands refused because their nation was down, in all runs.</param>
/// <param name="WallTime">How long the batch took on this machine.</param>
public sealed record SimulationReport(
    int Seeds,
    IReadOnlyList<SimulationOutcome> Failures,
    long Steps,
    IReadOnlyDictionary<string, int> Rejections,
    long CommandsWhileDown,
    TimeSpan WallTime)
{
    /// <summary>"N seeds, V violations" and, when there are any, the first failing seed's report.</summary>
    public string Describe()
    {
        var rejections = Rejections.Count == 0
            ? "none"
            : string.Join(", ", Rejections.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}")));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Seeds} seeds, {Failures.Count} violations in {WallTime.TotalSeconds:F1}s ({Steps} steps; rejections: {rejections}; commands while down: {CommandsWhileDown})");
        return Failures.Count == 0 ? text : text + "\n" + Failures[0].Report();
    }
}
