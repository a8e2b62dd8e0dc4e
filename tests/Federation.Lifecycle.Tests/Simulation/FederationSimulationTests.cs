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

    /// <summary>Set to <c>on</c> with <see cref="SimulationRunner.SeedVariable"/> to replay a seed with batching on.</summary>
    public const string BatchingVariable = "FEDERATION_SIM_BATCHING";

    private static readonly SimulationOptions Options = FederationSimulationScenario.Options;

    /// <summary>The same runs over the batched transport: batches lost, duplicated and overtaken whole, entries lost alone.</summary>
    private static readonly SimulationOptions Batched = Options with
    {
        Batching = new SimulationNetworkBatching(),
        MaxFaults = Options.MaxFaults with { EntryLoss = 0.1 },
    };
    private static readonly FederationSimulationSettings Fenced = new();
    private static readonly FederationSimulationSettings Unfenced = new() { Jobs = new() { FenceStaleReports = false } };

    [Fact]
    public void Simulation_TenThousandSeeds_NoViolations()
    {
        if (SimulationRunner.ReplaySeed() is { } seed)
        {
            var unfenced = Environment.GetEnvironmentVariable(FencingVariable) is "off";
            var batched = Environment.GetEnvironmentVariable(BatchingVariable) is "on";
            var replay = SimulationRunner.RunSeed(seed, new FederationSimulationScenario(unfenced ? Unfenced : Fenced), batched ? Batched : Options, trace: true);
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
    public void Simulation_TenThousandSeedsWithBatching_NoViolations()
    {
        if (SimulationRunner.ReplaySeed() is not null)
        {
            return;
        }

        var seeds = TestProfile.Pick(10_000, 1_000_000);
        var report = SimulationRunner.RunSeeds(1, seeds, new FederationSimulationScenario(Fenced), Batched);
        var caught = SimulationRunner.FirstFailure(1, 10_000, new FederationSimulationScenario(Unfenced), Batched);
        Say(string.Create(CultureInfo.InvariantCulture,
            $"{report.Seeds} seeds, {report.Failures.Count} violations; fencing-off caught at seed {caught?.Seed.ToString(CultureInfo.InvariantCulture) ?? "none"} (batching on: {Batched.Batching!.MaxMessages} messages or {Batched.Batching.Window.TotalMilliseconds:0.#} ms per batch, entries lost alone up to {Batched.MaxFaults.EntryLoss:P0}; {report.WallTime.TotalSeconds:F1} s, {report.Steps} steps)"));
        if (report.Failures.Count > 0)
        {
            Say(report.Failures[0].Report() + $"\nreplay with {SimulationRunner.SeedVariable}={report.Failures[0].Seed} {BatchingVariable}=on");
        }

        Assert.True(report.Failures.Count == 0, report.Describe());
        Assert.NotNull(caught);
        Assert.True(report.Rejections.GetValueOrDefault("stale-epoch") > 0, "no batched seed ever refused a stale epoch: the faults are too mild to test fencing");
    }

    [Fact]
    public void Simulation_WithBatching_MessagesShareABatchAndEntriesAreLostAlone()
    {
        var network = new SimulationNetwork(2) { Batching = new SimulationNetworkBatching { Window = TimeSpan.FromMilliseconds(2), MaxMessages = 3 }, Clock = () => TimeSpan.Zero };
        network.Faults = SimulationNetworkFaults.Calm;
        var random = new SimulationRandom(42);
        Span<TimeSpan> delays = stackalloc TimeSpan[2];

        // Three messages at the same instant share one request: they land within the window of each other, after it closes.
        var landed = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, network.Plan(0, 1, random, delays));
            Assert.True(delays[0] >= TimeSpan.FromMilliseconds(2), $"message {i} left before the window closed ({delays[0]})");
            landed.Add(delays[0]);
        }

        Assert.True(landed.Max() - landed.Min() <= TimeSpan.FromMilliseconds(2), string.Join(", ", landed));

        // A lost batch loses every entry; an entry can also be lost alone while the batch arrives.
        var lossy = new SimulationNetwork(2) { Batching = new SimulationNetworkBatching { MaxMessages = 1000 }, Clock = () => TimeSpan.Zero };
        lossy.Faults = SimulationNetworkFaults.Calm with { EntryLoss = 0.5 };
        var arrived = 0;
        for (var i = 0; i < 200; i++)
        {
            arrived += lossy.Plan(0, 1, random, delays) > 0 ? 1 : 0;
        }

        Assert.InRange(arrived, 50, 150);
        lossy.Cut(0, 1);
        Assert.Equal(0, lossy.Plan(0, 1, random, delays));
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
