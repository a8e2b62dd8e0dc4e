using Federation.Contracts.Jobs;
using Federation.Lifecycle.Jobs;

namespace Federation.Lifecycle.Tests.Jobs;

/// <summary>
/// The time-shifting must-show on fake time with the 2020 German hourly series: a batch of deferrable
/// jobs submitted at the grid's daily peaks, with deadlines, through the job lifecycle and the router
/// as a silo drives them. Every job starts in the cleanest window its deadline leaves (cleaner than
/// running at submission whenever one exists), none misses its deadline, each waits for exactly one
/// wake-up, and explain's record shows the window while held and the avoided gCO2e after.
/// </summary>
public sealed class DeferralSimulationTests
{
    private const int RunHours = DeferralSimulation.RunHours;

    /// <summary>Submission times of day (morning and evening peaks, some off the hour) and the slack each leaves after its run.</summary>
    private static readonly (TimeSpan At, double SlackHours)[] s_arrivals =
    [
        (new(6, 40, 0), 8), (new(7, 0, 0), 12), (new(8, 20, 0), 16), (new(9, 0, 0), 20), (new(17, 30, 0), 24), (new(8, 0, 0), 0.5),
    ];

    [Fact]
    public void Batch_German2020Series_EveryJobStartsInItsCleanestWindowBeforeItsDeadlineAndExplainShowsTheAvoidedGco2e()
    {
        var first = new DateTimeOffset(2020, 1, 6, 0, 0, 0, TimeSpan.Zero);
        var sim = new DeferralSimulation(first);
        for (var day = 0; day < 330; day += 30)
        {
            for (var i = 0; i < s_arrivals.Length; i++)
            {
                var (at, slack) = s_arrivals[i];
                var submit = first.AddDays(day) + at;
                sim.SubmitAt(submit, DeferralSimulation.Spec($"shift-{day}-{i}", submit.AddHours(RunHours + slack)));
            }
        }

        sim.RunToEnd();

        var deferred = 0;
        var avoided = 0.0;
        foreach (var (job, state) in sim.Jobs)
        {
            var record = state.Record!;
            var (decision, held) = sim.Submitted[job];
            var submitted = record.SubmittedAt;
            var started = sim.StartedAt[job];
            var deadline = record.Spec.Deadline!.Value;
            var last = (int)Math.Floor((deadline - submitted).TotalHours - RunHours);
            var best = Enumerable.Range(0, Math.Max(0, last) + 1).Select(h => submitted.AddHours(h)).MinBy(DeferralSimulation.WindowMean);

            Assert.Equal(JobState.Succeeded, record.State);
            Assert.True(started.AddHours(RunHours) <= deadline, $"{job}: finishes {started.AddHours(RunHours):O}, after its deadline {deadline:O}");
            Assert.Equal(best, started);
            Assert.True(DeferralSimulation.WindowMean(started) <= DeferralSimulation.WindowMean(submitted), $"{job}: started in a dirtier window than at submission");
            Assert.Equal((1, submitted), (record.Epoch, held.SubmittedAt));
            if (started == submitted)
            {
                Assert.False(decision.TimeShift!.Deferred, $"{job}: ran at once but its decision deferred it");
                Assert.Equal(0, sim.Replans.GetValueOrDefault(job));
                continue;
            }

            deferred++;
            Assert.True(DeferralSimulation.WindowMean(started) < DeferralSimulation.WindowMean(submitted), $"{job}: waited but its window is not cleaner than at submission");
            Assert.Equal(decision.TimeShift!.StartAt, started);
            Assert.Equal(1, sim.Replans.GetValueOrDefault(job));

            // Explain while held: the pending reason and the decision name the window and what it avoids.
            Assert.StartsWith(JobLifecycle.DeferredReason, held.StateReason, StringComparison.Ordinal);
            Assert.Contains("gCO2e", held.StateReason, StringComparison.Ordinal);
            Assert.True(held.Decision!.TimeShift!.AvoidedGco2e > 0, $"{job}: held for a window that avoids {held.Decision.TimeShift.AvoidedGco2e} gCO2e");

            // Explain after: the decision it ran by says what the wait avoided against running at submission.
            var shift = record.Decision!.TimeShift!;
            Assert.True(shift.Deferred);
            Assert.Equal(decision.TimeShift.NowGco2e, shift.NowGco2e, 9);
            Assert.Equal(shift.NowGco2e - shift.WindowGco2e, shift.AvoidedGco2e, 9);
            Assert.True(shift.AvoidedGco2e > 0, $"{job}: avoided {shift.AvoidedGco2e} gCO2e");
            Assert.Contains("gCO2e avoided", record.Decision.Summary, StringComparison.Ordinal);
            avoided += shift.AvoidedGco2e;
        }

        var flexible = sim.Jobs.Count - (sim.Jobs.Count / s_arrivals.Length);
        Assert.True(deferred >= flexible * 0.8, $"only {deferred} of {flexible} jobs with slack moved to a cleaner window");
        Assert.True(avoided > 0);
    }

    [Fact]
    public void Batch_NoRoomBeforeTheDeadline_RunsAtOnce()
    {
        var submit = new DateTimeOffset(2020, 3, 10, 8, 0, 0, TimeSpan.Zero);
        var sim = new DeferralSimulation(submit);
        sim.SubmitAt(submit, DeferralSimulation.Spec("tight", submit.AddHours(RunHours + 0.5)));

        sim.RunToEnd();

        var job = Assert.Single(sim.Jobs.Keys);
        Assert.Equal(submit, sim.StartedAt[job]);
        Assert.False(sim.Jobs[job].Record!.Decision!.TimeShift!.Deferred);
        Assert.StartsWith("runs now: no later start leaves room", sim.Jobs[job].Record!.Decision!.Summary, StringComparison.Ordinal);
    }
}
