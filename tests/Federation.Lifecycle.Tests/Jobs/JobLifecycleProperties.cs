using CsCheck;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Tests.Jobs;

public sealed class JobLifecycleProperties
{
    private static readonly NationCode[] s_nations = [JobDriver.Fr, JobDriver.Se, JobDriver.De];

    private static readonly Gen<(int Kind, int A, int B)[]> s_inputs =
        Gen.Select(Gen.Int[0, 11], Gen.Int[0, 50_000], Gen.Int[0, 7]).Array[1, 80];

    [Fact]
    public void RandomInputs_KeepEpochsRisingOneResultAndContiguousEvents()
    {
        s_inputs.Sample(inputs =>
        {
            var job = new JobDriver(new JobLifecycleSettings { RequeueOnLeaseLoss = inputs.Length % 2 == 0 });
            var results = 0;
            foreach (var (kind, a, b) in inputs)
            {
                var before = job.State;
                var input = Input(job, kind, a, b);
                var step = job.Apply(input);
                if (!step.Decision.Accepted)
                {
                    Assert.Same(before, job.State);
                    Assert.Empty(step.Decision.Send);
                    Assert.Empty(step.Decision.Events);
                }

                Assert.True((job.State.Record?.Epoch ?? 0) >= (before.Record?.Epoch ?? 0), $"epoch fell from {before.Record?.Epoch} to {job.State.Record?.Epoch}");
                if (input is ReportReceived { Report.State: var reported } && reported.IsFinished() && !step.Decision.Events.IsEmpty)
                {
                    results++;
                }

                Assert.True(results <= 1, "two results were accepted");
                Assert.True(job.State.Events.Select(e => e.State).Count(s => s.IsFinished()) <= 1, "the job finished twice");

                var sequences = job.State.Events.Select(e => e.Sequence).ToList();
                Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
                Assert.Equal(job.State.Record?.LastEvent ?? 0, sequences.Count == 0 ? 0 : sequences[^1]);
            }
        }, iter: 500);
    }

    [Fact]
    public void NextDue_RandomStates_NoTickBeforeItChangesTheJob_AndTheTickAtItDoes()
    {
        s_inputs.Sample(inputs =>
        {
            var job = new JobDriver(new JobLifecycleSettings { RequeueOnLeaseLoss = inputs.Length % 2 == 0 });
            foreach (var (kind, a, b) in inputs)
            {
                job.Apply(Input(job, kind, a, b));
                var now = job.Time.GetUtcNow();
                var due = JobLifecycle.NextDue(job.State, job.Settings);
                if (!JobLifecycle.NeedsTicks(job.State))
                {
                    Assert.Null(due);
                }

                if (due is { } overdue && overdue <= now)
                {
                    Assert.True(Changes(job, now), $"a tick now changed nothing though the job was due ({job.Record?.State})");
                    continue;
                }

                // Just before it (or far ahead when nothing is due), and at a point between now and it.
                var horizon = due is { } d ? d - TimeSpan.FromTicks(1) : now + TimeSpan.FromDays(400);
                foreach (var at in new[] { now, now + ((horizon - now) / 2), horizon }.Where(t => t >= now && t <= horizon))
                {
                    Assert.False(Changes(job, at), $"a tick at +{(at - now).TotalMilliseconds} ms changed the job, due at +{((due ?? at) - now).TotalMilliseconds} ms ({job.Record?.State})");
                }

                if (due is { } next && next > now)
                {
                    Assert.True(Changes(job, next), $"the tick at its due time (+{(next - now).TotalMilliseconds} ms) changed nothing ({job.Record?.State})");
                }
            }
        }, iter: 300);
    }

    private static bool Changes(JobDriver job, DateTimeOffset at)
    {
        var step = JobLifecycle.Decide(job.State, new JobTick(), at, job.Settings);
        return !step.Decision.Events.IsEmpty || !step.Decision.Send.IsEmpty || !Equals(step.State, job.State);
    }

    private static JobInput Input(JobDriver job, int kind, int a, int b)
    {
        var record = job.State.Record;
        var epoch = Math.Max(0, (record?.Epoch ?? 0) - 1 + (b % 3));
        var nation = s_nations[b % s_nations.Length];
        var offer = job.State.Outbox.Where(m => m.Message is OfferMessage).Select(m => (OutboxMessage?)m).LastOrDefault();
        switch (kind)
        {
            case 0:
                return new SubmitJob(JobDriver.Spec, b % 4 == 0 ? null : JobDriver.Decision([.. s_nations.Take(b % 4)]));
            case 1:
                job.Time.Advance(TimeSpan.FromMilliseconds(a));
                return new JobTick();
            case 2 when offer is not null:
                return new MessageDelivered(offer.Id, new Delivery { Delivered = true, Admission = new Admission(offer.To, offer.Message.Epoch, b % 2 == 0, "answer") }, 0);
            case 3 when offer is not null:
                return new MessageDelivered(offer.Id, Delivery.Failed("unreachable"), 1 + (b % 3));
            case 4 or 5:
                var state = (JobState)(a % 11);
                return new ReportReceived(b % 2 == 0 && record?.Nation is { } holder ? holder : nation, new ExecutionReport { Job = JobDriver.Job, Epoch = epoch, Sequence = a % 5, State = state, Message = "report" });
            case 6:
                return new RenewalReceived(record?.Nation ?? nation, epoch);
            case 7:
                return new CancelRequested("user");
            case 8:
                return new PlanCompleted(job.State.PlanAttempt - (b % 2), b % 3 == 0 ? null : JobDriver.Decision([.. s_nations.Skip(b % 3)]), "down");
            case 9:
                return new ClockResumed();
            default:
                job.Time.Advance(TimeSpan.FromSeconds(a % 60));
                return new JobTick();
        }
    }
}
