using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Executions;

/// <summary>
/// One epoch of a job in the nation that runs it, as a pure function: (state, input, now, settings)
/// to the new state, the reports to send and the effects for the adapter. It decides admission
/// (<see cref="AdmissionRules"/>, on the facts the adapter gathered), the run's placement, when to
/// renew the lease, when to stop a run that could not renew (lease − margin, then the epoch is given back), fencing (stopped for
/// good, nothing more reported), progress pacing, the walltime and the final report with its bill.
/// An input it cannot take (another epoch, another sender, a transition its state does not allow)
/// is answered with a <see cref="Rejection"/> naming the rule, and changes nothing.
/// </summary>
public static partial class ExecutionLifecycle
{
    /// <summary>Decides on <paramref name="input"/> at <paramref name="now"/>.</summary>
    public static Decision<ExecutionState, ExecutionEffect> Decide(ExecutionState state, ExecutionInput input, DateTimeOffset now, ExecutionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        return input switch
        {
            OfferReceived offer => Offer(state, offer, now, settings),
            CancellationReceived cancel => Cancel(state, cancel, now),
            LeaseAnswered answer => Lease(state, answer, now),
            Tick tick => OnTick(state, tick, now, settings),
            AllocationDone done => Allocated(state, done),
            LaunchFactsFailed => new ExecutionPlan(state.WantsLaunchFacts ? state with { NextLaunchAt = now + settings.QueuedRecheck } : state).Decided(),
            Woken => new ExecutionPlan(state.WantsLaunchFacts ? state with { NextLaunchAt = DateTimeOffset.MinValue } : state).Decided(),
            AllocationFailed => state.Step == ExecutionStep.Allocating
                ? new ExecutionPlan(state with { Step = ExecutionStep.None, Record = state.Record! with { Run = null, Accelerator = null }, NextLaunchAt = now + settings.QueuedRecheck }).Decided()
                : Reject(state, ExecutionRules.ImpossibleTransition, "an allocation ended that was not asked for"),
            StagingDone done => Staged(state, done.TransferredBytes, done.Reason, true, now),
            StagingFailed failed => Staged(state, 0, failed.Reason, false, now),
            RunStarted started => Started(state, started, now, settings),
            RunStartFailed failed => StartFailed(state, failed, now),
            RunPolled polled => Polled(state, polled, now, settings),
            RunPollFailed => new ExecutionPlan(state with { PollInFlight = false }).Decided(),
            Billed billed => Bill(state, billed, now),
            BillFailed => state.Finishing is { } finishing
                ? new ExecutionPlan(state with { Finishing = finishing with { BillAgainAt = now + BillRetryDelay(finishing.BillFailures, settings), BillFailures = finishing.BillFailures + 1 } }).Decided()
                : Reject(state, ExecutionRules.ImpossibleTransition, $"a bill for {state.Job} epoch {state.Epoch} failed with no ending being written"),
            GiveBackRequested giveBack => GiveBack(state, giveBack, now),
            ReclaimRequested reclaim => Reclaimed(state, reclaim, now),
            _ => Reject(state, ExecutionRules.UnknownInput, $"an execution does not take {input.GetType().Name}"),
        };
    }

    /// <summary>True when the adapter should gather <see cref="AdmissionFacts"/> before passing <paramref name="offer"/> on.</summary>
    public static bool WantsAdmissionFacts(ExecutionState state, JobOffer offer, bool fencedBeforeOffer) =>
        state.Record is null && !state.FencedBeforeOffer && !fencedBeforeOffer && offer.Job == state.Job && offer.Epoch == state.Epoch;

    private static Decision<ExecutionState, ExecutionEffect> Offer(ExecutionState state, OfferReceived input, DateTimeOffset now, ExecutionSettings settings)
    {
        if (state.Record is not null)
        {
            // The same offer again (a retry): the answer stands.
            return new ExecutionPlan(state).Decided();
        }

        var offer = input.Offer;
        if (offer.Job != state.Job || offer.Epoch != state.Epoch)
        {
            return Reject(state, ExecutionRules.WrongExecution, $"offer for {offer.Job} epoch {offer.Epoch} reached the execution of {state.Job} epoch {state.Epoch}");
        }

        var verdict = state.FencedBeforeOffer || input.FencedBeforeOffer
            ? new AdmissionVerdict(ExecutionRules.FencedBeforeOffer, $"epoch {offer.Epoch} of {state.Job} was fenced by its origin before this offer arrived")
            : input.Facts is { } facts
                ? AdmissionRules.Decide(input.From, offer, facts, settings.Reference)
                : new AdmissionVerdict(ExecutionRules.NoAdmissionFacts, "no admission facts were gathered for this offer");
        var admission = verdict.Admitted
            ? new Admission(input.Local, offer.Epoch, true, verdict.Reason, offer.LeaseSeconds)
            : new Admission(input.Local, offer.Epoch, false, verdict.Reason);
        var record = new ExecutionRecord
        {
            Job = state.Job,
            Epoch = state.Epoch,
            Spec = offer.Spec,
            Admission = admission,
            State = admission.Admitted ? JobState.Admitted : JobState.Failed,
            StateReason = admission.Admitted ? admission.Reason : $"refused: {admission.Reason}",
            LeaseSeconds = offer.LeaseSeconds,
            LeaseRenewedAt = now,
            Version = 1,
        };
        var plan = new ExecutionPlan(state with { Record = record, LeaseHeardAt = now, NextRenewalAt = now + settings.RenewEvery });
        plan.Do(new AdmissionDecided(input.From, verdict));
        return plan.Decided();
    }

    private static Decision<ExecutionState, ExecutionEffect> Cancel(ExecutionState state, CancellationReceived input, DateTimeOffset now)
    {
        var cancellation = input.Cancellation;
        if (input.From != state.Job.Origin)
        {
            return Reject(state, ExecutionRules.WrongSender, $"only {state.Job}'s origin ({state.Job.Origin}) may cancel it, not {input.From}");
        }

        if (cancellation.Job != state.Job || cancellation.Epoch != state.Epoch)
        {
            return Reject(state, ExecutionRules.StaleEpoch, $"a cancellation of {cancellation.Job} epoch {cancellation.Epoch} reached the execution of {state.Job} epoch {state.Epoch}");
        }

        if (state.Record is null)
        {
            var plan = new ExecutionPlan(state);
            plan.Do(new RememberPreOfferFence());
            return plan.Decided();
        }

        var who = cancellation.Fenced ? "fenced" : "cancelled";
        return Stop(new ExecutionPlan(state), JobState.Cancelled, $"{who} by {input.From}: {cancellation.Reason}", cancellation.Fenced, now).Decided();
    }

    /// <summary>How long after its <paramref name="failures"/>-th failure (0 for the first) a bill is asked for again: the recheck, doubled each time, up to 64 times it.</summary>
    public static TimeSpan BillRetryDelay(int failures, ExecutionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.QueuedRecheck * (1 << Math.Clamp(failures, 0, 6));
    }

    private static Decision<ExecutionState, ExecutionEffect> Lease(ExecutionState state, LeaseAnswered input, DateTimeOffset now)
    {
        var plan = new ExecutionPlan(state with { RenewalInFlight = false });
        if (!input.Delivered || input.Answer is not { } answer || !(state.Live || RenewsWhileEnding(state)))
        {
            return plan.Decided();
        }

        var origin = state.Job.Origin;
        switch (answer.Verdict)
        {
            case LeaseVerdict.Continue:
                var record = state.Record!;
                plan.State = plan.State with { LeaseHeardAt = now };
                if (now - record.LeaseRenewedAt > TimeSpan.FromSeconds(record.LeaseSeconds / 3))
                {
                    // Written now and then, not on every renewal: a restarted silo counts its lease from here.
                    plan.State = plan.State with { Record = record with { LeaseRenewedAt = now, LeaseSeconds = answer.LeaseSeconds > 0 ? answer.LeaseSeconds : record.LeaseSeconds } };
                }

                return plan.Decided();
            case LeaseVerdict.Cancel:
                return Stop(plan, JobState.Cancelled, $"cancelled by {origin}: {answer.Reason}", fenced: false, now).Decided();
            default:
                return Stop(plan, JobState.Cancelled, $"fenced by {origin}: {answer.Reason}", fenced: true, now).Decided();
        }
    }

    private static Decision<ExecutionState, ExecutionEffect> OnTick(ExecutionState state, Tick tick, DateTimeOffset now, ExecutionSettings settings)
    {
        var plan = new ExecutionPlan(state);
        if (!state.Live)
        {
            if (RenewsWhileEnding(state) && !state.RenewalInFlight && now >= state.NextRenewalAt)
            {
                // Ending while its bill is asked for again: the origin must not take the silence for a lost lease.
                plan.State = plan.State with { RenewalInFlight = true, NextRenewalAt = now + settings.RenewEvery };
                plan.Send(new RenewalMessage(new LeaseRenewal(state.Job, state.Epoch)));
            }

            if (state.Finishing is { BillAgainAt: { } again } finishing && now >= again)
            {
                // The bill could not be computed: asked for again; the ending is written when it comes.
                plan.State = plan.State with { Finishing = finishing with { BillAgainAt = null } };
                plan.Do(finishing.Bill with { Again = true });
            }

            return plan.Decided();
        }

        var record = state.Record!;
        var silence = now - state.LeaseHeardAt;
        var limit = TimeSpan.FromSeconds(record.LeaseSeconds) - settings.Margin;
        if (silence > limit)
        {
            // Given back, not cancelled: the origin plans the job again with the next epoch.
            return Stop(plan, JobState.Requeued, string.Create(CultureInfo.InvariantCulture,
                $"stopped: the lease could not be renewed with {state.Job.Origin} for {silence.TotalSeconds:0.#} s (lease {record.LeaseSeconds:0.#} s − margin {settings.Margin.TotalSeconds:0.#} s)"), fenced: false, now).Decided();
        }

        if (CheckpointGraceOver(plan, now) is { } givenBack)
        {
            return givenBack.Decided();
        }

        if (!state.RenewalInFlight && now >= state.NextRenewalAt)
        {
            plan.State = plan.State with { RenewalInFlight = true, NextRenewalAt = now + settings.RenewEvery };
            plan.Send(new RenewalMessage(new LeaseRenewal(state.Job, state.Epoch)));
        }

        if (record is { State: JobState.Running, StartedAt: { } started } && now - started > WalltimeLimit(record, settings))
        {
            var minutes = record.Spec.Walltime.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
            return Stop(plan, JobState.TimedOut, $"stopped at the walltime limit ({minutes} min) before finishing", fenced: false, now).Decided();
        }

        if (state.Step != ExecutionStep.None)
        {
            return plan.Decided();
        }

        if (state.WantsLaunchFacts)
        {
            return tick.Launch is { } facts && state.WantsLaunchFactsAt(now) ? Launch(plan, facts, now, settings).Decided() : plan.Decided();
        }

        if (state.RunOutside || state.RunSimulated)
        {
            if (!state.PollInFlight && now >= state.NextPollAt)
            {
                // Simulated runs too: each poll costs a timer and two steps; the bill counts modelled time.
                plan.State = plan.State with { PollInFlight = true, NextPollAt = now + settings.PollEvery };
                plan.Do(new PollRun(record.Run!, record.StartedAt));
            }
        }
        else if (record.Run is { } unstarted)
        {
            // Placed but neither started nor recorded as started (a silo restarted during staging): stage again.
            plan.State = plan.State with { Step = ExecutionStep.Staging };
            plan.Do(new StageInputs(unstarted));
        }

        return plan.Decided();
    }

    /// <summary>How long a run may go before the execution stops it: its walltime (scaled for a simulated run) and the grace.</summary>
    public static TimeSpan WalltimeLimit(ExecutionRecord record, ExecutionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(settings);
        var walltime = record.Run is { } run && ExecutorKinds.KindOf(run) == ExecutorKind.Simulated
            ? TimeSpan.FromSeconds(record.Spec.Walltime.TotalHours * settings.SimulatedSecondsPerHour)
            : record.Spec.Walltime;
        return walltime + settings.WalltimeGrace;
    }

    /// <summary>True while an ending waits for a bill asked for again, and the origin has not fenced it: its lease is still renewed.</summary>
    private static bool RenewsWhileEnding(ExecutionState state) => state.Finishing is { Fenced: false, BillFailures: > 0 };

    /// <summary>Stops a live execution (the run, its allocations) and bills it; on a finished one, only records a fence.</summary>
    private static ExecutionPlan Stop(ExecutionPlan plan, JobState outcome, string reason, bool fenced, DateTimeOffset now)
    {
        var record = plan.Record;
        if (fenced)
        {
            plan.Do(new DropOutbox());
        }

        if (!plan.State.Live)
        {
            if (fenced && !record.Fenced)
            {
                plan.Write(record with { Fenced = true });
                if (plan.State.Finishing is { } finishing)
                {
                    plan.State = plan.State with { Finishing = finishing with { Fenced = true } };
                }
            }

            return plan;
        }

        if (plan.State.RunOutside)
        {
            plan.Do(new StopRun(record.Run!));
        }

        return End(plan, outcome, reason, record.Progress, record.StartedAt is { } started ? now - started : TimeSpan.Zero, null, fenced);
    }

    /// <summary>Releases what the run holds and asks for its bill; the ending is written when the bill comes.</summary>
    private static ExecutionPlan End(ExecutionPlan plan, JobState outcome, string message, double progress, TimeSpan elapsed, int? exitCode, bool fenced)
    {
        var record = plan.Record;
        if (!record.Allocations.IsEmpty)
        {
            plan.Do(new ReleaseNodes(record.Allocations));
        }

        var bill = new BillRun(record, elapsed, exitCode, message);
        plan.Do(bill);
        plan.State = plan.State with
        {
            Record = record with { Allocations = ImmutableSortedDictionary<string, int>.Empty },
            Finishing = new PendingFinish(outcome, message, progress, fenced, bill),
            PollInFlight = false,
        };
        return plan;
    }

    private static Decision<ExecutionState, ExecutionEffect> Bill(ExecutionState state, Billed input, DateTimeOffset now)
    {
        if (state.Finishing is not { } finishing)
        {
            return Reject(state, ExecutionRules.ImpossibleTransition, $"a bill for {state.Job} epoch {state.Epoch} came with no ending being written");
        }

        var plan = new ExecutionPlan(state with { Finishing = null });
        var final = plan.Record with
        {
            State = finishing.Outcome,
            StateReason = finishing.Message,
            Progress = finishing.Progress,
            FinishedAt = now,
            Result = input.Result,
            Fenced = plan.Record.Fenced || finishing.Fenced,
        };
        if (final.Fenced)
        {
            plan.Write(final);
        }
        else
        {
            plan.Report(final, finishing.Message, finishing.Progress, input.Result);
        }

        return plan.Decided();
    }

    private static Decision<ExecutionState, ExecutionEffect> Reject(ExecutionState state, string rule, string message) =>
        new(state, [], [], new Rejection(rule, message));
}
