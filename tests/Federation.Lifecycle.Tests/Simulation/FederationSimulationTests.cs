using System.Globalization;
using Federation.Testing;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The deterministic simulation of the federation protocol: the real deciders of three nations
/// against each other under a faulty network, crashes and skewed clocks, invariants after every step.
/// </summary>
public sealed class FederationSimulationTests(ITestOutputHelper output)
{
    /// <summary>Set to <c>off</c> with <see cref="SimulationRunner.SeedVariable"/> to replay a seed of the fencing-off variant.</summary>
    public const string FencingVariable = "FEDERATION_SIM_FENCING";

    private static readonly SimulationOptions Options = FederationSimulationScenario.Options;
    private static readonly FederationSimulationSettings Fenced = new();
    private static readonly FederationSimulationSettings Unfenced = new() { Jobs = new() { FenceStaleReports = false } };

    [Fact]
    public void Simulation_TenThousandSeeds_NoViolations()
    {
        if (SimulationRunner.ReplaySeed() is { } seed)
        {
            var unfenced = Environment.GetEnvironmentVariable(FencingVariable) is "off";
            var replay = SimulationRunner.RunSeed(seed, new FederationSimulationScenario(unfenced ? Unfenced : Fenced), Options, trace: true);
            Say(replay.Report());
            Assert.True(replay.Passed, replay.Report());
            return;
        }

        var seeds = TestProfile.Pick(10_000, 1_000_000);
        var report = SimulationRunner.RunSeeds(1, seeds, new FederationSimulationScenario(Fenced), Options);
        var caught = FencingOffCaught();
        var rejections = string.Join(", ", report.Rejections.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}")));
        Say(string.Create(CultureInfo.InvariantCulture,
            $"{report.Seeds} seeds, {report.Failures.Count} violations; fencing-off caught at seed {caught?.Seed.ToString(CultureInfo.InvariantCulture) ?? "none"} ({report.WallTime.TotalSeconds:F1} s, {report.Steps} steps; rejections: {rejections}; commands while down: {report.CommandsWhileDown})"));
        if (report.Failures.Count > 0)
        {
            Say(report.Failures[0].Report());
        }

        Assert.True(report.Failures.Count == 0, report.Describe());
        Assert.NotNull(caught);
        Assert.Contains("[at most one accepted result per job, from its current epoch]", caught.Violation, StringComparison.Ordinal);
        Assert.True(report.Rejections.GetValueOrDefault("stale-epoch") > 0, "no seed ever refused a stale epoch: the faults are too mild to test fencing");
    }

    [Fact]
    public void Simulation_SameSeed_ReplaysTheSameTrace()
    {
        var failing = FencingOffCaught();
        Assert.NotNull(failing);
        foreach (var (seed, settings) in new[] { (failing.Seed, Unfenced), (7L, Fenced) })
        {
            var first = SimulationRunner.RunSeed(seed, new FederationSimulationScenario(settings), Options, trace: true);
            var second = SimulationRunner.RunSeed(seed, new FederationSimulationScenario(settings), Options, trace: true);
            var untraced = SimulationRunner.RunSeed(seed, new FederationSimulationScenario(settings), Options);

            Assert.Equal(first.Trace!.ToString(), second.Trace!.ToString());
            Assert.Equal((first.Violation, first.Steps, first.Elapsed), (untraced.Violation, untraced.Steps, untraced.Elapsed));
        }

        Say(failing.Report());
    }

    [Fact]
    public void Simulation_Seeds_ExerciseTheProtocol()
    {
        var scenario = new FederationSimulationScenario(Fenced);
        var traces = string.Join('\n', Enumerable.Range(1, 60).Select(seed => SimulationRunner.RunSeed(seed, scenario, Options, trace: true).Trace));

        foreach (var happening in new[]
        {
            "admitted by", "refused by", "Succeeded", "cancelled by its user", "lease expired", "gave epoch", "REJECTED stale-epoch",
            "fence", "RESTART from persisted state", "CRASH after persisting, before sending", "cut", "healed", "failed: no answer within",
            "process of", "home-", "lease Continue", "stopped (reconciled at restart",
        })
        {
            Assert.Contains(happening, traces, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Simulation_ExecutorRunningPastItsLease_CaughtByTheLiveRunInvariant()
    {
        // A margin of −60 s lets an execution that cannot renew run 90 s on a 30 s lease: the origin re-routes after 45 s.
        var careless = new FederationSimulationSettings { Executions = Fenced.Executions with { Margin = TimeSpan.FromSeconds(-60) } };

        var caught = SimulationRunner.FirstFailure(1, 10_000, new FederationSimulationScenario(careless), Options);

        Assert.NotNull(caught);
        Say(caught.Report().Split('\n')[0]);
        Assert.Contains("[after lease + grace at most one live run per job]", caught.Violation, StringComparison.Ordinal);
    }

    /// <summary>The first seed that catches the decider when it accepts reports of stale epochs.</summary>
    private static SimulationOutcome? FencingOffCaught() =>
        SimulationRunner.FirstFailure(1, 10_000, new FederationSimulationScenario(Unfenced), Options) is { } caught
            ? caught with { ReplayWith = $"{SimulationRunner.SeedVariable}={caught.Seed} {FencingVariable}=off" }
            : null;

    private void Say(string text)
    {
        output.WriteLine(text);
        Console.WriteLine(text);
    }
}
