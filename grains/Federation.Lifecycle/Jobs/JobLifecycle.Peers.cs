using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Jobs;

/// <summary>The inputs from peers (delivery answers, reports, renewals) and the tick of time.</summary>
public static partial class JobLifecycle
{
    private static JobStep Delivered(JobLifecycleState state, MessageDelivered input, DateTimeOffset now, JobLifecycleSettings settings)
    {
        var message = state.Outbox.FirstOrDefault(m => m.Id == input.MessageId);
        if (message is null || state.Record is not { } record)
        {
            return Reject(state, JobRules.UnknownMessage, $"job {state.Job} has no message {input.MessageId} in its outbox");
        }

        var step = new JobStepBuilder(state, now, settings);
        if (input.MessageId == state.ProbeId)
        {
            // The probe only re-activates the execution; its answer (and its failure) tells nothing new.
            step.Remove(message);
            step.State = step.State with { ProbeId = null };
            return new JobStep(step.Build());
        }

        if (!input.Delivery.Delivered)
        {
            if (message.Message is OfferMessage { Offer: var unanswered } && input.Attempts >= settings.OfferAttempts
                && record.State == JobState.Offered && record.Epoch == unanswered.Epoch)
            {
                // It may have admitted the job without our hearing: fence that epoch there, then try the next nation.
                step.Remove(message);
                step.Enqueue(message.To, new CancellationMessage(new JobCancellation(state.Job, unanswered.Epoch, "the offer's answer never arrived; the job went elsewhere", Fenced: true)));
                Refused(step, new Admission(message.To, unanswered.Epoch, false, $"not reachable after {input.Attempts} attempts: {input.Delivery.Error}"));
            }

            return new JobStep(step.Build());
        }

        step.Remove(message);
        if (message.Message is OfferMessage { Offer: var offer } && input.Delivery.Admission is { } admission)
        {
            if (record.Epoch == offer.Epoch && record.Nation == message.To && record.State.IsExecuting() && admission.Admitted)
            {
                // Its first report overtook the admission: the epoch runs where it was offered.
                step.Commit(record with { Admissions = record.Admissions.Add(admission) }, $"admitted by {admission.Nation}: {admission.Reason}", admission.Nation);
            }
            else if (record.State != JobState.Offered || record.Epoch != offer.Epoch)
            {
                // The job moved on (cancelled, or offered elsewhere) while the answer travelled.
                if (admission.Admitted)
                {
                    step.Enqueue(message.To, new CancellationMessage(new JobCancellation(state.Job, offer.Epoch, "the job moved on before the admission arrived", Fenced: true)));
                }
            }
            else if (admission.Admitted)
            {
                step.State = step.State with { LeaseRenewedAt = now };
                step.Commit(
                    record with { State = JobState.Admitted, StateReason = $"admitted by {admission.Nation}: {admission.Reason}", Admissions = record.Admissions.Add(admission) },
                    $"admitted by {admission.Nation}: {admission.Reason}",
                    admission.Nation);
            }
            else
            {
                Refused(step, admission);
            }
        }

        return new JobStep(step.Build());
    }

    private static JobStep Report(JobLifecycleState state, ReportReceived input, DateTimeOffset now, JobLifecycleSettings settings)
    {
        var (from, report) = (input.From, input.Report);
        if (state.Record is not { } record || report.Job != state.Job)
        {
            return Refuse(state, JobRules.UnknownJob, $"no job {report.Job} in its origin");
        }

        if (report.Epoch != record.Epoch && settings.FenceStaleReports)
        {
            return Refuse(state, JobRules.StaleEpoch, $"epoch {report.Epoch} in {from} is stale: job {state.Job} is at epoch {record.Epoch}{(record.Nation is { } n ? $" in {n}" : "")}");
        }

        if (record.Nation != from)
        {
            return Refuse(state, JobRules.WrongSender, $"epoch {report.Epoch} of job {state.Job} is not held by {from}{(record.Nation is { } n ? $" but by {n}" : "")}");
        }

        if (record.State.IsFinished())
        {
            // A final report again is a duplicate; a running run of a job that ended (cancelled) must stop.
            return new JobStep(Unchanged(state).Decision, report.State.IsFinished()
                ? new ReportAnswer(true, false, $"job {state.Job} already finished: {Name(record.State)}")
                : new ReportAnswer(false, true, $"{JobRules.ImpossibleTransition}: job {state.Job} already finished: {Name(record.State)}; stop the run"));
        }

        if (report.Sequence <= state.LastReportSequence)
        {
            return new JobStep(Unchanged(state).Decision, new ReportAnswer(true, false, "already recorded"));
        }

        if (report.State is JobState.Submitted or JobState.Planned or JobState.Offered)
        {
            var rule = $"a report may not put job {state.Job} back to {Name(report.State)}: executions report admitted, queued, running, a finished state, or requeued to give the epoch back";
            return new JobStep(Reject(state, JobRules.ImpossibleTransition, rule).Decision, new ReportAnswer(false, false, $"{JobRules.ImpossibleTransition}: {rule}"));
        }

        var step = new JobStepBuilder(state, now, settings);
        step.State = step.State with { LeaseRenewedAt = now, LastReportSequence = report.Sequence };
        if (report.State == JobState.Requeued)
        {
            // The executing nation gave the job back (it could not keep its lease): plan it again.
            var reason = $"{from} gave epoch {record.Epoch} back: {report.Message}; planning again";
            step.State = step.State with { RefusedUnderDecision = [] };
            DropProbe(step);
            step.Commit(record with { State = JobState.Requeued, Nation = null, StateReason = reason, Progress = null }, reason, from);
            step.RequestPlan();
            return new JobStep(step.Build(), new ReportAnswer(true, false, "recorded; the job will be planned again"));
        }

        var finished = report.State.IsFinished();
        if (!finished && report.State == record.State && report.Message == record.StateReason && report.Result is null
            && (report.Progress is null || report.Progress == record.Progress))
        {
            // The same news again (an executor's poll that changed nothing): it renews the lease, and makes no event.
            return new JobStep(step.Build(), new ReportAnswer(true, false, "recorded"));
        }

        step.Commit(
            record with
            {
                State = report.State,
                StateReason = report.Message,
                Progress = report.Progress ?? record.Progress,
                Result = report.Result ?? record.Result,
                FinishedAt = finished ? now : null,
            },
            $"{from}: {report.Message}",
            from,
            report.Progress);
        if (finished)
        {
            DropProbe(step);
        }

        return new JobStep(step.Build(), new ReportAnswer(true, false, "recorded"));
    }

    private static JobStep Renew(JobLifecycleState state, RenewalReceived input, DateTimeOffset now, JobLifecycleSettings settings)
    {
        if (state.Record is not { } record)
        {
            return Fence(state, JobRules.UnknownJob, $"no job {state.Job} in its origin");
        }

        if (input.Epoch != record.Epoch)
        {
            return Fence(state, JobRules.StaleEpoch, $"epoch {input.Epoch} in {input.From} is stale: job {state.Job} is at epoch {record.Epoch}");
        }

        if (record.Nation != input.From)
        {
            return Fence(state, JobRules.WrongSender, $"epoch {input.Epoch} of job {state.Job} is not held by {input.From}");
        }

        if (record.State == JobState.Cancelled)
        {
            return new JobStep(Unchanged(state).Decision, LeaseAnswer: new LeaseAnswer(LeaseVerdict.Cancel, 0, record.StateReason));
        }

        if (record.State.IsFinished())
        {
            return new JobStep(Unchanged(state).Decision, LeaseAnswer: new LeaseAnswer(LeaseVerdict.Fenced, 0, $"job {state.Job} already finished: {Name(record.State)}"));
        }

        var renewed = state with { LeaseRenewedAt = now };
        return new JobStep(new Decision<JobLifecycleState, JobEvent>(renewed, [], []), LeaseAnswer: new LeaseAnswer(LeaseVerdict.Continue, settings.Lease.TotalSeconds, "renewed"));
    }

    private static JobStep Tick(JobLifecycleState state, DateTimeOffset now, JobLifecycleSettings settings)
    {
        if (state.Record is not { } record || record.State.IsFinished())
        {
            return Unchanged(state);
        }

        var step = new JobStepBuilder(state, now, settings);
        var silence = now - (state.LeaseRenewedAt ?? record.UpdatedAt);
        if (record.State.IsExecuting() && silence >= settings.Lease + settings.Grace)
        {
            LeaseLost(step, record, silence);
            return new JobStep(step.Build());
        }

        if (record.State.IsExecuting() && silence > settings.Lease / 2 && state.ProbeId is null && record.Nation is { } executing)
        {
            // The executing nation is late: offer the same epoch again. The offer is idempotent and
            // re-activates its execution (e.g. on a surviving silo after one died), which then renews.
            var probe = step.Enqueue(executing, new OfferMessage(new JobOffer { Job = state.Job, Epoch = record.Epoch, Spec = record.Spec, LeaseSeconds = settings.Lease.TotalSeconds }));
            step.State = step.State with { ProbeId = probe.Id };
        }

        if (step.State.PlanRequestedAt is { } requested && now - requested > settings.PlanTimeout)
        {
            // The answer was lost (e.g. the silo that planned died): ask again.
            step.State = step.State with { PlanRequestedAt = null };
        }

        var due = record.State is JobState.Submitted
            || (record.State is JobState.Planned or JobState.Requeued && record.Nation is null && now >= step.State.NextPlanAt);
        if (step.State.PlanRequestedAt is null && due)
        {
            step.RequestPlan();
        }

        return new JobStep(step.Build());
    }

    /// <summary>How the fence sent to a nation whose lease expired begins its reason (metrics count expiries by it).</summary>
    public const string LeaseExpiredReason = "lease expired";

    private static void LeaseLost(JobStepBuilder step, JobRecord record, TimeSpan silence)
    {
        var lost = record.Nation!.Value;
        var settings = step.Settings;
        var expired = string.Create(CultureInfo.InvariantCulture,
            $"lease of {lost} on epoch {record.Epoch} expired: no renewal for {silence.TotalSeconds:0.#} s (lease {settings.Lease.TotalSeconds:0.#} s + grace {settings.Grace.TotalSeconds:0.#} s)");
        DropProbe(step);
        step.Enqueue(lost, new CancellationMessage(new JobCancellation(step.State.Job, record.Epoch, settings.RequeueOnLeaseLoss ? $"{LeaseExpiredReason}; the job was re-routed" : $"{LeaseExpiredReason}; the job failed", Fenced: true)));
        if (!settings.RequeueOnLeaseLoss)
        {
            var reason = $"{expired}; failed, not re-routed (re-routing after a lost lease is off)";
            step.Commit(record with { State = JobState.Failed, StateReason = reason, Progress = null, FinishedAt = step.Now }, reason, lost);
            return;
        }

        step.State = step.State with { RefusedUnderDecision = [] };
        step.Commit(record with { State = JobState.Requeued, Nation = null, StateReason = $"{expired}; planning again", Progress = null }, $"{expired}; planning again", lost);
        step.RequestPlan();
    }

    private static void DropProbe(JobStepBuilder step)
    {
        if (step.State.ProbeId is { } probe && step.State.Outbox.FirstOrDefault(m => m.Id == probe) is { } message)
        {
            step.Remove(message);
        }

        step.State = step.State with { ProbeId = null };
    }

    private static JobStep Refuse(JobLifecycleState state, string rule, string message) =>
        new(Reject(state, rule, message).Decision, new ReportAnswer(false, true, $"{rule}: {message}"));

    private static JobStep Fence(JobLifecycleState state, string rule, string message) =>
        new(Reject(state, rule, message).Decision, LeaseAnswer: new LeaseAnswer(LeaseVerdict.Fenced, 0, $"{rule}: {message}"));
}
