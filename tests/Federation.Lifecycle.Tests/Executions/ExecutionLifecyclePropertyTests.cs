using System.Collections.Immutable;
using CsCheck;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;

namespace Federation.Lifecycle.Tests.Executions;

public sealed class ExecutionLifecyclePropertyTests
{
    private static readonly ObservedPhase[] s_phases = Enum.GetValues<ObservedPhase>();

    /// <summary>One random step: time passing, a tick, a message from the origin or elsewhere, or an effect's (possibly unasked-for) outcome.</summary>
    private static readonly Gen<Func<ExecutionDriver, ExecutionInput?>> s_step = Gen.OneOf(
        Gen.Int[1, 8000].Select<int, Func<ExecutionDriver, ExecutionInput?>>(ms => d => { d.Advance(TimeSpan.FromMilliseconds(ms)); return null; }),
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 4]).Select<(bool, bool, int), Func<ExecutionDriver, ExecutionInput?>>(
            t => _ => new Tick(t.Item1 ? ExecutionDriver.Facts(simulated: t.Item2, slurm: t.Item3 == 0, free: t.Item3) : null)),
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[1, 2]).Select<(bool, bool, int), Func<ExecutionDriver, ExecutionInput?>>(
            t => d => new CancellationReceived(t.Item2 ? ExecutionDriver.Origin : ExecutionDriver.Local, new Contracts.Jobs.JobCancellation(ExecutionDriver.Job, t.Item3, "random", t.Item1))),
        Gen.Enum<LeaseVerdict>().Select<LeaseVerdict, Func<ExecutionDriver, ExecutionInput?>>(v => _ => new LeaseAnswered(true, new LeaseAnswer(v, 30, "random"))),
        Gen.Bool.Select<bool, Func<ExecutionDriver, ExecutionInput?>>(ok => _ => ok ? new StagingDone(10, "staged") : new StagingFailed("disk full")),
        Gen.Bool.Select<bool, Func<ExecutionDriver, ExecutionInput?>>(ok => _ => ok
            ? new RunStarted("7", "/tmp/jobs/x", new ObservedRun(ObservedPhase.Pending, "queued"))
            : new RunStartFailed("sbatch failed")),
        Gen.Select(Gen.Int[0, s_phases.Length - 1], Gen.Double[0, 1]).Select<(int, double), Func<ExecutionDriver, ExecutionInput?>>(
            t => _ => new RunPolled(new ObservedRun(s_phases[t.Item1], "polled", t.Item1 == 2 ? 0 : 1, t.Item2))),
        Gen.Const<Func<ExecutionDriver, ExecutionInput?>>(_ => new RunPollFailed("busy")),
        Gen.Const<Func<ExecutionDriver, ExecutionInput?>>(_ => new Billed(ExecutionDriver.Result)),
        Gen.Bool.Select<bool, Func<ExecutionDriver, ExecutionInput?>>(ok => d => { d.BillsSucceed = ok; return null; }),
        Gen.Const<Func<ExecutionDriver, ExecutionInput?>>(_ => new BillFailed("random")),
        Gen.Const<Func<ExecutionDriver, ExecutionInput?>>(_ => new AllocationDone(ImmutableSortedDictionary<string, int>.Empty.Add("node-stray", 1))));

    [Fact]
    public void RandomInputs_Always_OneStartAtMostReleasesEachAllocationOnceAndStaysFinal()
    {
        Gen.Select(Gen.Bool, s_step.Array[0, 80]).Sample(t =>
        {
            var (allocationsSucceed, steps) = t;
            var driver = new ExecutionDriver { AllocationsSucceed = allocationsSucceed };
            driver.Offer();
            JobState? final = null;
            foreach (var step in steps)
            {
                if (step(driver) is { } input)
                {
                    driver.Apply(input);
                }

                var record = driver.Record;
                if (final is { } was)
                {
                    Assert.Equal(was, record.State);
                }
                else if (ExecutionState.IsOver(record.State) && driver.State.Finishing is null)
                {
                    final = record.State;
                }

                Assert.True(driver.Effects.OfType<StartRun>().Count() <= 1, "two runs were started");
                var released = driver.Effects.OfType<ReleaseNodes>().SelectMany(r => r.Allocations.Keys).ToList();
                Assert.Equal(released.Count, released.Distinct().Count());
                if (final is not null || record.Fenced)
                {
                    Assert.Empty(record.Allocations);
                }

                Assert.Subset(driver.Allocated.ToHashSet(), released.ToHashSet());
            }

            // Whatever happened, once over everything allocated was given back, once.
            if (final is not null)
            {
                var released = driver.Effects.OfType<ReleaseNodes>().SelectMany(r => r.Allocations.Keys).Order().ToList();
                Assert.Equal(driver.Allocated.Order(), released);
            }
        }, iter: 2000);
    }
    [Fact]
    public void NextDue_RandomStates_NoTickBeforeItChangesTheExecution_AndTheTickAtItDoes()
    {
        Gen.Select(Gen.Bool, s_step.Array[0, 60]).Sample(t =>
        {
            var (allocationsSucceed, steps) = t;
            var driver = new ExecutionDriver { AllocationsSucceed = allocationsSucceed };
            driver.Offer();
            foreach (var step in steps)
            {
                if (step(driver) is { } input)
                {
                    driver.Apply(input);
                }

                var now = driver.Time.GetUtcNow();
                var due = ExecutionLifecycle.NextDue(driver.State, driver.Settings);
                if (due is { } overdue && overdue <= now)
                {
                    // A launch waiting for capacity is due again at once and may find none: it may change nothing.
                    Assert.True(driver.State.WantsLaunchFacts || Changes(driver, now), $"a tick now changed nothing though the execution was due ({driver.Record.State}, step {driver.State.Step})");
                    continue;
                }

                var horizon = due is { } d ? d - TimeSpan.FromTicks(1) : now + TimeSpan.FromDays(400);
                foreach (var at in new[] { now, now + ((horizon - now) / 2), horizon })
                {
                    Assert.False(Changes(driver, at), $"a tick at +{(at - now).TotalMilliseconds} ms changed the execution, due at +{((due ?? at) - now).TotalMilliseconds} ms ({driver.Record.State})");
                }

                if (due is { } next)
                {
                    Assert.True(Changes(driver, next), $"the tick at its due time (+{(next - now).TotalMilliseconds} ms) changed nothing ({driver.Record.State})");
                }
            }
        }, iter: 1000);
    }

    private static bool Changes(ExecutionDriver driver, DateTimeOffset at)
    {
        var tick = new Tick(driver.State.WantsLaunchFacts ? ExecutionDriver.Facts() : null);
        var decision = ExecutionLifecycle.Decide(driver.State, tick, at, driver.Settings);
        return !decision.Events.IsEmpty || !decision.Send.IsEmpty || !Equals(decision.State, driver.State);
    }
}
