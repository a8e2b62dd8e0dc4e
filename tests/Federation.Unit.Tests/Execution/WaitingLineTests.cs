using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Grains.Execution.Ledger;

namespace Federation.Unit.Tests.Execution;

/// <summary>The capacity ledger's line of waiting runs: ranked, kept once a run had to wait, its place surviving a restart, silent runs passed over.</summary>
public sealed class WaitingLineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AcceleratorSlug H100 = TypedId.Parse<AcceleratorSlug>("h100-sxm");

    private static CapacitySnapshot Free(int free) => new([new AcceleratorCapacity(H100, free, 8)], 0);

    private static WaitClaim Claim(int count, double priority, int band = 0) => new([H100], count, band, priority);

    [Fact]
    public void Join_ARunThatFindsWhatItWants_IsNotKept_OneThatMustWaitIs_AndLaterRunsSeeLessFree()
    {
        var line = new WaitingLine([], T0);

        var seen = line.Join("exec-DE/a/1", Claim(4, 0.2), Free(4), T0, out var saveA);
        Assert.False(saveA);
        Assert.Equal(4, seen.Agents.Single().Free);

        line.Join("exec-DE/a/1", Claim(4, 0.2), Free(2), T0.AddSeconds(1), out saveA);
        Assert.True(saveA);
        Assert.Equal(["exec-DE/a/1"], line.Saved.Keys);

        // SE, under-served, arrives later and ranks first: DE's run sees nothing free for it until SE has what it wants.
        line.Join("exec-SE/b/1", Claim(4, 0.9), Free(2), T0.AddSeconds(2), out var saveB);
        Assert.True(saveB);
        Assert.Equal(0, line.FreeFor("exec-DE/a/1", H100.Value, 4, T0.AddSeconds(3)));
        Assert.Equal(4, line.FreeFor("exec-SE/b/1", H100.Value, 4, T0.AddSeconds(3)));
        Assert.Equal(2, line.Seen("exec-DE/a/1", Free(6), T0.AddSeconds(3)).Agents.Single().Free);
        Assert.Equal((1, 0), (line.Seen("exec-DE/a/1", Free(0), T0.AddSeconds(3)).Ahead, line.Seen("exec-SE/b/1", Free(0), T0.AddSeconds(3)).Ahead));
        Assert.Equal(0, line.Seen("exec-FR/not-in-line/1", Free(0), T0.AddSeconds(3)).Ahead);

        Assert.True(line.Leave("exec-SE/b/1"));
        Assert.Equal(4, line.FreeFor("exec-DE/a/1", H100.Value, 4, T0.AddSeconds(3)));
    }

    [Fact]
    public void Restart_TheKeptLineKeepsEachRunsArrival_SoItsPlaceAmongEqualRanksSurvives()
    {
        var before = new WaitingLine([], T0);
        before.Join("exec-DE/late/1", Claim(4, 0.5), Free(0), T0.AddSeconds(5), out _);
        before.Join("exec-DE/early/1", Claim(4, 0.5), Free(0), T0, out _);
        var saved = before.Saved;

        // A new activation reads the kept line; the runs tell again (in any order) and keep their arrival.
        var after = new WaitingLine(saved.Values, T0.AddMinutes(1));
        after.Join("exec-DE/late/1", Claim(4, 0.5), Free(0), T0.AddMinutes(1), out var changed);

        Assert.False(changed);
        Assert.Equal(["exec-DE/early/1", "exec-DE/late/1"], after.Ordered(T0.AddMinutes(1)).Select(r => r.Holder));
        Assert.Equal(0, after.FreeFor("exec-DE/late/1", H100.Value, 4, T0.AddMinutes(1)));
        Assert.Equal(T0, saved["exec-DE/early/1"].Arrived);
    }

    [Fact]
    public void Silent_ARunNotHeardOfIsPassedOver_ThenForgotten()
    {
        var line = new WaitingLine([], T0);
        line.Join("exec-SE/gone/1", Claim(4, 0.9), Free(0), T0, out _);
        line.Join("exec-DE/here/1", Claim(4, 0.2), Free(0), T0, out _);

        var later = T0 + WaitingLine.Silent + TimeSpan.FromSeconds(1);
        line.Join("exec-DE/here/1", Claim(4, 0.2), Free(4), later, out _);

        Assert.Equal(4, line.FreeFor("exec-DE/here/1", H100.Value, 4, later));
        Assert.False(line.Prune(later));
        Assert.True(line.Prune(T0 + WaitingLine.Forgotten + TimeSpan.FromSeconds(1)));
        Assert.DoesNotContain("exec-SE/gone/1", line.Saved.Keys);
    }

    [Fact]
    public void Wakeable_InLineOrder_OnlyTheRunsThatMayTakeWhatIsFree_AndAtMostAsManyAsAsked()
    {
        var line = new WaitingLine([], T0);
        line.Join("exec-SE/first/1", Claim(4, 0.9), Free(0), T0, out _);
        line.Join("exec-DE/second/1", Claim(2, 0.5), Free(0), T0, out _);
        line.Join("exec-DE/third/1", Claim(2, 0.4), Free(0), T0, out _);
        var now = T0.AddSeconds(1);

        // 2 free: the first wants 4, so no later, smaller run may pass it; nobody can take them yet.
        Assert.Empty(line.Wakeable(Free(2), now, 32));

        // 6 free: the first (4) and the second (2); the third would find nothing left.
        Assert.Equal(["exec-SE/first/1", "exec-DE/second/1"], line.Wakeable(Free(6), now, 32));
        Assert.Equal(["exec-SE/first/1"], line.Wakeable(Free(8), now, 1));

        // A run silent past the line's patience is passed over: the runs behind it are woken instead.
        var silent = T0 + WaitingLine.Silent + TimeSpan.FromSeconds(1);
        line.Join("exec-DE/second/1", Claim(2, 0.5), Free(0), silent, out _);
        line.Join("exec-DE/third/1", Claim(2, 0.4), Free(0), silent, out _);
        Assert.Equal(["exec-DE/second/1", "exec-DE/third/1"], line.Wakeable(Free(4), silent, 32));
        Assert.Empty(line.Wakeable(Free(0), silent, 32));
    }

    [Fact]
    public void Join_ANewPriorityReordersTheLine_WithoutSavingIt()
    {
        var line = new WaitingLine([], T0);
        line.Join("exec-DE/a/1", Claim(4, 0.9), Free(0), T0, out _);
        line.Join("exec-SE/b/1", Claim(4, 0.5), Free(0), T0, out _);

        // DE's factor falls as it uses its share: its place follows, and the kept line is not written for it.
        line.Join("exec-DE/a/1", Claim(4, 0.1), Free(0), T0.AddSeconds(1), out var mustSave);

        Assert.False(mustSave);
        Assert.Equal(["exec-SE/b/1", "exec-DE/a/1"], line.Ordered(T0.AddSeconds(1)).Select(r => r.Holder));
        Assert.Equal(0, line.FreeFor("exec-DE/a/1", H100.Value, 4, T0.AddSeconds(1)));
    }
}
