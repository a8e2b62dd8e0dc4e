using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Execution.Ledger;

namespace Federation.Unit.Tests.Execution;

/// <summary>Which ledger entries are checked against their holders (old enough, executions only, a batch at a time, round and round) and which holders' entries may go.</summary>
public sealed class HolderAuditTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_age = TimeSpan.FromMinutes(1);

    private static ImmutableSortedDictionary<string, LedgerEntry> Entries(params (string Holder, DateTimeOffset Since)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Holder, e => new LedgerEntry(e.Holder, "agents", TypedId.Parse<AcceleratorSlug>("h100-sxm"), 1,
            ImmutableSortedDictionary<string, int>.Empty.Add("node-a", 1), false, e.Since), StringComparer.Ordinal);

    [Fact]
    public void Next_SkipsEntriesYoungerThanTheMinimumAge_AndHoldersThatAreNotExecutions()
    {
        var entries = Entries(("exec-FR/job-1/1", T0), ("exec-FR/job-2/1", T0.AddSeconds(30)), ("probe", T0), ("exec-DE/job-3/2", T0.AddSeconds(1)));

        var picked = new HolderAudit(s_age, 10).Next(entries, T0.AddSeconds(61));

        Assert.Equal(["exec-DE/job-3/2", "exec-FR/job-1/1"], picked);
    }

    [Fact]
    public void Next_TakesABatchAtATime_FromWhereTheLastStopped_RoundAndRound()
    {
        var entries = Entries(Enumerable.Range(1, 7).Select(i => ($"exec-FR/job-{i}/1", T0)).ToArray());
        var audit = new HolderAudit(s_age, 3);
        var now = T0.AddMinutes(5);

        var rounds = Enumerable.Range(0, 4).Select(_ => string.Join(" ", audit.Next(entries, now).Select(h => h[12..13]))).ToList();

        // 7 holders, 3 a round: the third round ends the pass and wraps to the first two.
        Assert.Equal(["1 2 3", "4 5 6", "7 1 2", "3 4 5"], rounds);
    }

    [Fact]
    public void Next_HolderAtTheCursorReleased_GoesOnAfterIt()
    {
        var audit = new HolderAudit(s_age, 2);
        var now = T0.AddMinutes(5);
        Assert.Equal(["exec-FR/job-1/1", "exec-FR/job-2/1"], audit.Next(Entries(("exec-FR/job-1/1", T0), ("exec-FR/job-2/1", T0), ("exec-FR/job-3/1", T0)), now));

        var picked = audit.Next(Entries(("exec-FR/job-1/1", T0), ("exec-FR/job-3/1", T0), ("exec-FR/job-4/1", T0)), now);

        Assert.Equal(["exec-FR/job-3/1", "exec-FR/job-4/1"], picked);
    }

    [Fact]
    public void Next_NoEntries_PicksNone()
    {
        Assert.Empty(new HolderAudit(s_age, 5).Next(Entries(), T0));
    }

    [Theory]
    [InlineData(JobState.Admitted, false)]
    [InlineData(JobState.Queued, false)]
    [InlineData(JobState.Running, false)]
    [InlineData(JobState.Succeeded, true)]
    [InlineData(JobState.Failed, true)]
    [InlineData(JobState.Cancelled, true)]
    [InlineData(JobState.TimedOut, true)]
    [InlineData(JobState.Requeued, true)]
    public void Releasable_OnlyWhenTheExecutionIsOver(JobState state, bool releasable)
    {
        Assert.Equal(releasable, HolderAudit.Releasable(state));
    }

    [Fact]
    public void Releasable_NeverOffered_HoldsNothing()
    {
        Assert.True(HolderAudit.Releasable(null));
    }
}
