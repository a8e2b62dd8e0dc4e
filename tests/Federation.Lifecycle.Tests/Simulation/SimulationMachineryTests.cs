namespace Federation.Lifecycle.Tests.Simulation;

public sealed class SimulationMachineryTests
{
    [Fact]
    public void SimulationRandom_SameSeed_SameDraws()
    {
        var a = new SimulationRandom(42);
        var b = new SimulationRandom(42);
        var c = new SimulationRandom(43);

        var drawsA = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToList();
        var drawsB = Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToList();
        var drawsC = Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToList();

        Assert.Equal(drawsA, drawsB);
        Assert.NotEqual(drawsA, drawsC);
    }

    [Fact]
    public void SimulationRandom_Between_StaysInBounds()
    {
        var random = new SimulationRandom(7);
        var min = TimeSpan.FromSeconds(-1);
        var max = TimeSpan.FromSeconds(1);

        var draws = Enumerable.Range(0, 10_000).Select(_ => random.Between(min, max)).ToList();

        Assert.All(draws, d => Assert.InRange(d, min, max));
        Assert.Contains(draws, d => d < TimeSpan.Zero);
        Assert.Contains(draws, d => d > TimeSpan.Zero);
        Assert.All(Enumerable.Range(0, 1000).Select(_ => random.Next(3, 5)), n => Assert.InRange(n, 3, 4));
    }

    [Fact]
    public void SimulationScheduler_SameTime_RunsInScheduleOrder()
    {
        var scheduler = new SimulationScheduler<string>();
        scheduler.Schedule(TimeSpan.FromSeconds(2), "late");
        scheduler.Schedule(TimeSpan.FromSeconds(1), "first");
        scheduler.Schedule(TimeSpan.FromSeconds(1), "second");

        var taken = new List<(TimeSpan, string)>();
        while (scheduler.TryTake(out var at, out var item))
        {
            taken.Add((at, item));
        }

        Assert.Equal([(TimeSpan.FromSeconds(1), "first"), (TimeSpan.FromSeconds(1), "second"), (TimeSpan.FromSeconds(2), "late")], taken);
    }

    [Fact]
    public void SimulationClock_GoingBack_IsRefused()
    {
        var clock = new SimulationClock();
        clock.AdvanceTo(TimeSpan.FromSeconds(5));

        var error = Assert.Throws<InvalidOperationException>(() => clock.AdvanceTo(TimeSpan.FromSeconds(4)));
        Assert.Contains("cannot go back", error.Message, StringComparison.Ordinal);
        Assert.Equal(SimulationClock.Start.AddSeconds(5), clock.Now);
    }

    [Fact]
    public void SimulationTimeProvider_ReadsTheClockPlusSkew_AndHasNoTimers()
    {
        var clock = new SimulationClock();
        var behind = new SimulationTimeProvider(clock, TimeSpan.FromMilliseconds(-300));
        clock.AdvanceTo(TimeSpan.FromSeconds(10));

        Assert.Equal(SimulationClock.Start.AddSeconds(10).AddMilliseconds(-300), behind.GetUtcNow());
        Assert.Throws<NotSupportedException>(() => behind.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void SimulationNetwork_CutLink_LosesEveryMessage_ButASelfLinkNeverLoses()
    {
        var network = new SimulationNetwork(3) { Faults = new SimulationNetworkFaults { Drop = 1 } };
        var random = new SimulationRandom(1);
        Span<TimeSpan> delays = stackalloc TimeSpan[2];

        Assert.Equal(0, network.Plan(0, 1, random, delays));
        Assert.Equal(1, network.Plan(2, 2, random, delays));

        network.Faults = new SimulationNetworkFaults { Duplicate = 1 };
        Assert.Equal(2, network.Plan(0, 1, random, delays));
        network.Cut(1, 0);
        Assert.True(network.IsCut(0, 1));
        Assert.Equal(0, network.Plan(0, 1, random, delays));
        Assert.Equal(2, network.Plan(0, 2, random, delays));
        network.HealAll();
        Assert.False(network.AnyCut());
        Assert.Throws<ArgumentException>(() => network.Cut(1, 1));
    }

    [Fact]
    public void SimulationTrace_Wrapped_KeepsTheLastLinesInOrder()
    {
        var trace = new SimulationTrace(3);
        for (var i = 1; i <= 5; i++)
        {
            trace.Add(TimeSpan.FromSeconds(i), "FR", $"input {i}", "ok");
        }

        var lines = trace.Lines();
        Assert.Equal(3, lines.Count);
        Assert.Contains("input 3", lines[0], StringComparison.Ordinal);
        Assert.Contains("input 5", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("... 2 earlier lines not kept", trace.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(" 17 ", 17L)]
    public void SimulationRunner_ParseSeed_ReadsAWholeNumberOrNothing(string? text, long? expected) =>
        Assert.Equal(expected, SimulationRunner.ParseSeed(text));

    [Fact]
    public void SimulationRunner_ParseSeed_NotANumber_NamesTheVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SimulationRunner.ParseSeed("twelve"));
        Assert.Contains(SimulationRunner.SeedVariable, error.Message, StringComparison.Ordinal);
    }
}
