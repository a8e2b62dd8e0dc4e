using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Grains.Execution.Ledger;

namespace Federation.Unit.Tests.Execution;

/// <summary>The capacity ledger's pure rules: freest nodes first, all or nothing, release, idempotence per holder, nodes that go down.</summary>
public sealed class CapacityLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AcceleratorSlug H100 = TypedId.Parse<AcceleratorSlug>("h100-sxm");
    private static readonly AcceleratorSlug L40 = TypedId.Parse<AcceleratorSlug>("l40s");

    private static CapacityLedger Ledger(params LedgerNode[] nodes) => new(nodes, []);

    private static LedgerNode Node(string id, int count, NodeState state = NodeState.Up, AcceleratorSlug? model = null) => new(id, model ?? H100, count, state);

    [Fact]
    public void Allocate_TakesTheFreestNodesFirst_TiesByNodeId()
    {
        var ledger = Ledger(Node("node-a", 4), Node("node-b", 8), Node("node-c", 8));

        var first = ledger.Allocate("exec-FR/job-1/1", "agents", H100, 10, foreign: false, T0);

        Assert.Equal(new Dictionary<string, int> { ["node-b"] = 8, ["node-c"] = 2 }, first.Taken!);
        Assert.True(first.Changed);
        Assert.Equal((4, 0, 6), (ledger.FreeOn("node-a"), ledger.FreeOn("node-b"), ledger.FreeOn("node-c")));

        var second = ledger.Allocate("exec-FR/job-2/1", "agents", H100, 5, foreign: false, T0.AddSeconds(1));

        Assert.Equal(new Dictionary<string, int> { ["node-c"] = 5 }, second.Taken!);
    }

    [Fact]
    public void Allocate_NotEnoughFree_TakesNothing_AndSaysWhatIsFree()
    {
        var ledger = Ledger(Node("node-a", 4), Node("node-b", 2), Node("node-l", 8, model: L40));

        var refused = ledger.Allocate("exec-DE/job-1/1", "agents", H100, 7, foreign: true, T0);

        Assert.Null(refused.Taken);
        Assert.False(refused.Changed);
        Assert.Equal("6 of 7 x h100-sxm free on nodes that are up", refused.Reason);
        Assert.Equal((4, 2), (ledger.FreeOn("node-a"), ledger.FreeOn("node-b")));
        Assert.Empty(ledger.Entries);
    }

    [Fact]
    public void Allocate_SameHolderAgain_GetsWhatItHolds()
    {
        var ledger = Ledger(Node("node-a", 8));
        var taken = ledger.Allocate("exec-FR/job-1/1", "agents", H100, 3, foreign: false, T0).Taken;

        var again = ledger.Allocate("exec-FR/job-1/1", "agents", H100, 3, foreign: false, T0.AddMinutes(1));

        Assert.Equal(taken, again.Taken);
        Assert.False(again.Changed);
        Assert.Equal(5, ledger.FreeOn("node-a"));
        Assert.Equal(T0, Assert.Single(ledger.Holdings("node-a")).Since);
    }

    [Fact]
    public void Allocate_SameHolder_SomethingElse_GivesBackWhatItHeld_AndTakesWhatItAsks()
    {
        // An allocation whose answer was lost, then a launch on another model: the first is not in use.
        var ledger = Ledger(Node("node-a", 4), Node("node-l", 2, model: L40));
        ledger.Allocate("exec-DE/job-1/1", "agents", H100, 4, foreign: true, T0);

        var other = ledger.Allocate("exec-DE/job-1/1", "agents", L40, 2, foreign: true, T0.AddMinutes(1));

        Assert.Equal(new Dictionary<string, int> { ["node-l"] = 2 }, other.Taken!);
        Assert.True(other.Changed);
        Assert.Equal((4, 0), (ledger.FreeOn("node-a"), ledger.FreeOn("node-l")));
        var entry = Assert.Single(ledger.Entries.Values);
        Assert.Equal((L40, 2, T0.AddMinutes(1)), (entry.Model, entry.Count, entry.Since));
        Assert.Equal(2, ledger.Snapshot().ForeignHeld);
    }

    [Fact]
    public void Allocate_SameHolder_SomethingElseNotFree_GivesBackWhatItHeld_AndTakesNothing()
    {
        var ledger = Ledger(Node("node-a", 4), Node("node-l", 2, model: L40));
        ledger.Allocate("exec-FR/job-1/1", "agents", H100, 3, foreign: false, T0);

        var other = ledger.Allocate("exec-FR/job-1/1", "agents", L40, 4, foreign: false, T0.AddMinutes(1));

        Assert.Null(other.Taken);
        Assert.True(other.Changed);
        Assert.Equal("2 of 4 x l40s free on nodes that are up", other.Reason);
        Assert.Equal(4, ledger.FreeOn("node-a"));
        Assert.Empty(ledger.Entries);
    }

    [Fact]
    public void Allocate_CountBelowOne_IsRefusedNamingTheRule()
    {
        var refused = Ledger(Node("node-a", 8)).Allocate("exec-FR/job-1/1", "agents", H100, 0, foreign: false, T0);

        Assert.Equal((null, "count must be at least 1, not 0"), (refused.Taken, refused.Reason));
    }

    [Fact]
    public void Release_FreesOnlyTheHoldersAccelerators_AndIsIdempotent()
    {
        var ledger = Ledger(Node("node-a", 8));
        ledger.Allocate("a", "agents", H100, 3, foreign: false, T0);
        ledger.Allocate("b", "agents", H100, 2, foreign: true, T0);

        Assert.True(ledger.Release("a"));
        Assert.False(ledger.Release("a"));

        Assert.Equal(6, ledger.FreeOn("node-a"));
        Assert.Equal("b", Assert.Single(ledger.Holdings("node-a")).Holder);
        Assert.Equal(2, ledger.Snapshot().ForeignHeld);
    }

    [Fact]
    public void NodeDown_FreesNothing_ButOffersNothing_AndBackUpOffersTheRest()
    {
        var ledger = Ledger(Node("node-a", 8), Node("node-b", 4));
        ledger.Allocate("exec-DE/job-1/1", "agents", H100, 8, foreign: true, T0);

        Assert.True(ledger.SetNode(Node("node-a", 8, NodeState.Down)));

        Assert.Equal("exec-DE/job-1/1", Assert.Single(ledger.Holdings("node-a")).Holder);
        Assert.Equal(new CapacitySnapshotLine(4, 4, 0), Line(ledger));
        Assert.Null(ledger.Allocate("exec-FR/job-2/1", "agents", H100, 5, foreign: false, T0).Taken);

        Assert.True(ledger.SetNode(Node("node-a", 8, NodeState.Up)));
        Assert.Equal(new CapacitySnapshotLine(4, 12, 8), Line(ledger));
    }

    [Fact]
    public void Draining_CountsInTheTotal_ButOffersNothing()
    {
        var ledger = Ledger(Node("node-a", 8, NodeState.Draining), Node("node-b", 4));

        Assert.Equal(new CapacitySnapshotLine(4, 12, 0), Line(ledger));
        Assert.Equal(new Dictionary<string, int> { ["node-b"] = 4 }, ledger.Allocate("x", "agents", H100, 4, foreign: false, T0).Taken!);
        Assert.False(ledger.SetNode(Node("node-a", 8, NodeState.Draining)));
    }

    [Fact]
    public void Hold_SlurmEntry_CountsInTheForeignShare_UntilReleased()
    {
        var ledger = Ledger(Node("node-a", 8));

        Assert.True(ledger.Hold("exec-DE/job-1/1", "hpc", H100, 4, foreign: true, T0));
        Assert.False(ledger.Hold("exec-DE/job-1/1", "hpc", H100, 4, foreign: true, T0));
        Assert.True(ledger.Hold("exec-FR/job-2/1", "hpc", H100, 2, foreign: false, T0));

        Assert.Equal(new CapacitySnapshotLine(8, 8, 4), Line(ledger));
        Assert.True(ledger.Release("exec-DE/job-1/1"));
        Assert.Equal(0, ledger.Snapshot().ForeignHeld);
    }

    [Fact]
    public void Hold_SameHolder_SomethingElse_ReplacesWhatItHeld()
    {
        var ledger = Ledger(Node("node-a", 8));
        ledger.Allocate("exec-DE/job-1/1", "agents", H100, 6, foreign: true, T0);

        Assert.True(ledger.Hold("exec-DE/job-1/1", "hpc", H100, 2, foreign: true, T0.AddMinutes(1)));

        Assert.Equal(8, ledger.FreeOn("node-a"));
        Assert.Equal(("hpc", 2), (Assert.Single(ledger.Entries.Values).Pool, ledger.Entries.Values.Single().Count));
        Assert.Equal(2, ledger.Snapshot().ForeignHeld);
    }

    [Fact]
    public void ClaimForeign_OffersDecidedAtOnce_SeeEachOther_UpToTheShare()
    {
        var ledger = Ledger(Node("node-a", 8));
        var until = T0.AddMinutes(1);

        // Foreign jobs may hold half of 8 here and 4 in a Slurm pool: 6 of 12.
        var seen = Enumerable.Range(1, 4).Select(i => ledger.ClaimForeign($"exec-DE/job-{i}/1", 2, 0.5, 4, T0, until).ForeignHeld).ToList();

        Assert.Equal([0, 2, 4, 6], seen);
        Assert.Equal(6, ledger.ClaimForeign("exec-DE/job-5/1", 1, 0.5, 4, T0, until).ForeignHeld);

        // The same offer again does not see itself; a share of 1 caps nothing.
        Assert.Equal(4, ledger.ClaimForeign("exec-DE/job-3/1", 2, 0.5, 4, T0, until).ForeignHeld);
        Assert.Equal(6, ledger.ClaimForeign("exec-SE/job-6/1", 8, 1, 4, T0, until).ForeignHeld);
        Assert.Equal(14, ledger.ClaimForeign("exec-SE/job-7/1", 1, 1, 4, T0, until).ForeignHeld);
    }

    [Fact]
    public void ClaimForeign_ClaimTurnsIntoTheRunsHolding_AndGoesWithARelease_ALeaveOrItsTime()
    {
        var ledger = Ledger(Node("node-a", 8));
        var until = T0.AddMinutes(1);
        ledger.ClaimForeign("exec-DE/job-1/1", 2, 0.5, 0, T0, until);
        ledger.ClaimForeign("exec-DE/job-2/1", 1, 0.5, 0, T0, until);
        ledger.ClaimForeign("exec-DE/job-3/1", 1, 0.5, 0, T0, until);

        // Allocated: counted once, as held.
        Assert.True(ledger.Allocate("exec-DE/job-1/1", "agents", H100, 2, foreign: true, T0).Changed);
        Assert.Equal(2, ledger.Snapshot().ForeignHeld);
        Assert.Equal(4, ledger.ClaimForeign("exec-SE/probe/1", 9, 0.5, 0, T0, until).ForeignHeld);

        // Released before it held anything, or stopped waiting: no longer counted.
        Assert.False(ledger.Release("exec-DE/job-2/1"));
        Assert.True(ledger.DropClaim("exec-DE/job-3/1"));
        Assert.Equal(2, ledger.ClaimForeign("exec-SE/probe/1", 9, 0.5, 0, T0, until).ForeignHeld);

        // A run in line keeps its claim alive; one not heard of lets it go at its time.
        ledger.KeepClaim("exec-DE/job-4/1", 1, until);
        ledger.KeepClaim("exec-DE/job-5/1", 1, until.AddMinutes(1));
        ledger.KeepClaim("exec-DE/job-1/1", 2, until.AddMinutes(1)); // holds: nothing to keep
        Assert.Equal(4, ledger.ClaimForeign("exec-SE/probe/1", 9, 0.5, 0, T0, until).ForeignHeld);
        Assert.Equal(3, ledger.ClaimForeign("exec-SE/probe/1", 9, 0.5, 0, until, until).ForeignHeld);
    }

    [Fact]
    public void ForeignHeld_KeptAsEntriesComeAndGo_EqualsTheSumOverTheEntries_AfterRandomChanges()
    {
        var random = new Random(7);
        var ledger = Ledger(Node("node-a", 8), Node("node-b", 16), Node("node-c", 4));
        var states = new[] { NodeState.Up, NodeState.Up, NodeState.Draining, NodeState.Down };
        for (var step = 0; step < 5_000; step++)
        {
            var holder = $"exec-{(random.Next(2) == 0 ? "DE" : "FR")}/job-{random.Next(40)}/1";
            switch (random.Next(5))
            {
                case 0 or 1:
                    ledger.Allocate(holder, "agents", H100, random.Next(1, 12), foreign: holder.StartsWith("exec-DE/", StringComparison.Ordinal), T0);
                    break;
                case 2:
                    ledger.Hold(holder, "hpc", H100, random.Next(1, 5), foreign: holder.StartsWith("exec-DE/", StringComparison.Ordinal), T0);
                    break;
                case 3:
                    ledger.Release(holder);
                    break;
                default:
                    var id = $"node-{(char)('a' + random.Next(4))}";
                    ledger.SetNode(Node(id, id == "node-d" ? 2 : 8, states[random.Next(states.Length)]));
                    break;
            }

            // What the ledger held before it kept the sum: every foreign entry, less what is held on nodes that are down.
            var expected = ledger.Entries.Values.Where(e => e.Foreign).Sum(e => e.Nodes.IsEmpty
                ? e.Count
                : e.Nodes.Where(n => !ledger.Nodes.TryGetValue(n.Key, out var node) || node.State != NodeState.Down).Sum(n => n.Value));
            Assert.Equal(expected, ledger.Snapshot().ForeignHeld);
        }
    }

    [Fact]
    public void RemoveNode_HoldingAllocations_IsRefusedWithThem_ElseRemoved()
    {
        var ledger = Ledger(Node("node-a", 8), Node("node-b", 8));
        ledger.Allocate("exec-FR/job-1/1", "agents", H100, 8, foreign: false, T0);

        var held = ledger.RemoveNode("node-a", out var changed);
        Assert.False(changed);
        Assert.Equal(new Allocation("exec-FR/job-1/1", 8, T0), Assert.Single(held));

        Assert.Empty(ledger.RemoveNode("node-b", out changed));
        Assert.True(changed);
        Assert.Equal(new CapacitySnapshotLine(0, 8, 0), Line(ledger));
    }

    [Fact]
    public void Snapshot_PerModel_OrderedByModel_RebuiltFromPersistedEntries()
    {
        var ledger = Ledger(Node("node-l", 4, model: L40), Node("node-a", 8));
        ledger.Allocate("exec-DE/job-1/1", "agents", L40, 3, foreign: true, T0);

        var restored = new CapacityLedger(ledger.Nodes.Values, ledger.Entries.Values);

        Assert.Equal(ledger.Snapshot().Agents, restored.Snapshot().Agents);
        Assert.Equal(["h100-sxm", "l40s"], restored.Snapshot().Agents.Select(a => a.Slug.Value));
        Assert.Equal((1, 4), (restored.Snapshot().Agents[1].Free, restored.Snapshot().Agents[1].Total));
        Assert.Equal(3, restored.Snapshot().ForeignHeld);
        Assert.True(restored.Release("exec-DE/job-1/1"));
        Assert.Equal(4, restored.FreeOn("node-l"));
    }

    private static CapacitySnapshotLine Line(CapacityLedger ledger)
    {
        var snapshot = ledger.Snapshot();
        var line = snapshot.Agents.SingleOrDefault(a => a.Slug == H100);
        return new(line?.Free ?? 0, line?.Total ?? 0, snapshot.ForeignHeld);
    }

    private sealed record CapacitySnapshotLine(int Free, int Total, int ForeignHeld);
}
