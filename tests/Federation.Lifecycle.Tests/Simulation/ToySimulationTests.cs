namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>The harness proven on the toy leased-task protocol: it passes when fencing is on, and catches the planted bug when it is off.</summary>
public sealed class ToySimulationTests(ITestOutputHelper output)
{
    private static readonly SimulationOptions Options = new();

    [Fact]
    public void ToySimulation_FencingOn_ThousandSeeds_NoViolations()
    {
        var report = SimulationRunner.RunSeeds(1, 1000, new ToySimulationScenario(Options, fencing: true), Options);

        output.WriteLine(report.Describe());
        Assert.True(report.Failures.Count == 0, report.Describe());
        Assert.True(report.Rejections.GetValueOrDefault("stale-epoch") > 0, "no seed ever fenced a stale epoch: the faults are too mild to test fencing");
    }

    [Fact]
    public void ToySimulation_FencingOff_CaughtBySomeSeed_WithSeedAndTrace()
    {
        var failure = SimulationRunner.FirstFailure(1, 2000, new ToySimulationScenario(Options, fencing: false), Options);

        Assert.NotNull(failure);
        var report = failure.Report();
        output.WriteLine(report);
        Assert.StartsWith($"seed {failure.Seed}: [one accepted result per task]", report, StringComparison.Ordinal);
        Assert.Contains($"{SimulationRunner.SeedVariable}={failure.Seed}", report, StringComparison.Ordinal);
        Assert.Contains("VIOLATION", report, StringComparison.Ordinal);
        Assert.True(failure.Trace!.Written > 10, "the failing seed's trace is almost empty");
    }

    [Fact]
    public void ToySimulation_SameSeed_ReplaysTheSameTrace()
    {
        var scenario = new ToySimulationScenario(Options, fencing: false);
        var seed = SimulationRunner.FirstFailure(1, 2000, scenario, Options)!.Seed;

        var first = SimulationRunner.RunSeed(seed, scenario, Options, trace: true);
        var second = SimulationRunner.RunSeed(seed, new ToySimulationScenario(Options, fencing: false), Options, trace: true);
        var untraced = SimulationRunner.RunSeed(seed, scenario, Options);

        Assert.Equal(first.Trace!.ToString(), second.Trace!.ToString());
        Assert.Equal(first.Violation, untraced.Violation);
        Assert.Equal(first.Steps, untraced.Steps);
        Assert.NotEqual(first.Trace.ToString(), SimulationRunner.RunSeed(seed + 1, scenario, Options, trace: true).Trace!.ToString());
    }

    [Fact]
    public void ToySimulation_Seeds_InjectEveryKindOfFault()
    {
        var scenario = new ToySimulationScenario(Options, fencing: true);
        var traces = string.Join('\n', Enumerable.Range(1, 40).Select(seed => SimulationRunner.RunSeed(seed, scenario, Options, trace: true).Trace));

        foreach (var fault in new[] { "CRASH ", "CRASH after persisting, before sending", "RESTART from persisted state", "cut", "healed", "lost: link cut", "lost: nation down", "resend #", "REJECTED stale-epoch", "refused: the nation is down", "chaos over", "failed: no answer within", "answer fenced", "events fenced " })
        {
            Assert.Contains(fault, traces, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToySimulation_ClockSkew_StaysWithinTheBound()
    {
        var options = Options with { MaxClockSkew = TimeSpan.FromMilliseconds(500) };
        var skews = Enumerable.Range(1, 200)
            .Select(seed => new SimulationWorld<ToySimulation.State, ToySimulation.Message, ToySimulation.Command>(seed, new ToySimulationScenario(options, true), options))
            .SelectMany(world => Enumerable.Range(0, world.Nations.Count).Select(world.SkewOf))
            .ToList();

        Assert.All(skews, skew => Assert.InRange(skew, -options.MaxClockSkew, options.MaxClockSkew));
        Assert.Contains(skews, skew => skew < TimeSpan.FromMilliseconds(-250));
        Assert.Contains(skews, skew => skew > TimeSpan.FromMilliseconds(250));
    }
}
