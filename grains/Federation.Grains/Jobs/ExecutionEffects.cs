using System.Collections.Concurrent;
using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Execution;
using Federation.Lifecycle.Executions;
using Federation.Transparency;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>
/// Carries out an execution decider's effects for its grain: allocation, release and the bill in the
/// grain's turn (their outcome is the next input), staging and the run's start, poll and stop outside
/// it (and the checkpoint signal) — their outcome is queued and the grain is called back through <see cref="IExecutionGrain.EffectsDoneAsync"/>.
/// </summary>
public sealed class ExecutionEffects(
    string holder,
    IExecutionGrain self,
    ExecutionRunner runner,
    NodeAllocator allocator,
    ExecutionBill bill,
    ILogger logger,
    ITransparencyLog? transparency = null,
    TimeProvider? time = null)
{
    /// <summary>Outcomes of effects that ran outside the turn, waiting for the grain.</summary>
    public ConcurrentQueue<ExecutionInput> Done { get; } = new();

    /// <summary>Carries out <paramref name="effect"/> for <paramref name="state"/>; returns the next input when it ran in the turn.</summary>
    public async Task<ExecutionInput?> RunAsync(ExecutionEffect effect, ExecutionState state)
    {
        var record = state.Record!;
        if (effect is StageInputs placed && ExecutorKinds.KindOf(placed.Run) == ExecutorKind.Slurm && record.Accelerator is { } placedOn)
        {
            // Slurm allocates its own nodes; the ledger records what the run holds from its placement (staging
            // may take long), before it leaves the line, so the foreign share counts Slurm and agent pools alike.
            try
            {
                await allocator.HoldAsync(holder, placed.Run.Pool, placedOn, record.Spec.Accelerators.Count);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Bookkeeping for the shares, not the run's: Slurm holds the nodes whether or not the ledger counts them.
                ExecutionLog.LedgerUnanswered(logger, state.Job, state.Epoch, "hold", "the run goes on, not counted in the foreign share", e.Message);
            }
        }

        if (effect is BillRun { Again: false } or StageInputs)
        {
            // Ended or placed (a Slurm pool, or after its allocation): no longer in line for accelerators. Best effort:
            // the line forgets a run it no longer hears from, and the ending must go on to its bill.
            try
            {
                await runner.LeaveLineAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ExecutionLog.LeaveLineFailed(logger, state.Job, state.Epoch, e.Message);
            }
        }

        switch (effect)
        {
            case AllocateNodes allocate:
                ImmutableSortedDictionary<string, int>? taken;
                try
                {
                    taken = await allocator.AllocateAsync(holder, allocate.Slug, allocate.Count);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A write that failed, or a ledger that cannot activate (a silo going, an older build during a rolling
                    // restart): the run looks again after its recheck, and asking again is idempotent per holder.
                    ExecutionLog.LedgerUnanswered(logger, state.Job, state.Epoch, "allocation", "asked again after the recheck", e.Message);
                    return new AllocationFailed($"the capacity ledger did not answer: {e.Message}");
                }

                return taken is null ? new AllocationFailed($"{allocate.Count} x {allocate.Slug} could not be allocated") : new AllocationDone(taken);
            case ReleaseNodes:
                await ReleaseAsync(state);
                return null;
            case BillRun run:
                if (!run.Again)
                {
                    await EndedAsync(state, run);
                }

                try
                {
                    return new Billed(await bill.BillAsync(run.Record, run.Elapsed, run.ExitCode, run.Message));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A grain the bill reads did not answer (a silo going): asked for again later.
                    ExecutionLog.BillFailed(logger, state.Job, state.Epoch, (state.Finishing?.BillFailures ?? 0) + 1, e.Message);
                    return new BillFailed(e.Message);
                }
            case PollRun poll when state.RunSimulated:
                // A model of time: answered in the turn.
                return await runner.PollAsync(record, poll.Run);
            case PollRun poll:
                OffTurn(state, async () => await runner.PollAsync(record, poll.Run));
                return null;
            case StageInputs stage:
                OffTurn(state, async () => await runner.StageAsync(record, stage.Run));
                return null;
            case StartRun start:
                OffTurn(state, async () => await runner.StartAsync(record, start.Run));
                return null;
            case StopRun stop:
                OffTurn(state, async () =>
                {
                    await runner.StopAsync(record, stop.Run);
                    return null;
                });
                return null;
            case SignalCheckpoint signal:
                OffTurn(state, async () =>
                {
                    await runner.SignalCheckpointAsync(record, signal.Run);
                    return null;
                });
                return null;
            case AdmissionDecided { Verdict: { Rule: null } verdict } admitted:
                ExecutionLog.Admitted(logger, state.Job, state.Epoch, admitted.From, verdict.Reason);
                return null;
            case AdmissionDecided { Verdict: { Rule: { } rule } verdict } refused:
                if (verdict.Audited)
                {
                    ExecutionLog.RefusedAudited(logger, state.Job, state.Epoch, refused.From, rule, verdict.Reason);
                }
                else
                {
                    ExecutionLog.Refused(logger, state.Job, state.Epoch, refused.From, rule, verdict.Reason);
                }

                // A foreign offer that fitted the foreign share was counted in it while decided: not any longer.
                await allocator.ForgetAsync(holder);
                return null;
            default:
                // Outbox and fence effects are the grain's own.
                return null;
        }
    }

    /// <summary>
    /// Appends the admission decisions among <paramref name="effects"/> to the nation's transparency
    /// log. The grain issues it with the state write that records the decision, so that both ride one
    /// commit, and goes on (answers) only once both committed; a failed append is logged, the decision stands.
    /// </summary>
    private Task LogDecisionsAsync(ExecutionState state, IEnumerable<ExecutionEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(effects);
        var decisions = effects.OfType<AdmissionDecided>().ToList();
        decisions.ForEach(decided => Diagnostics.FederationMetrics.AdmissionDecided(decided.From.Value, decided.Verdict.Rule));
        return transparency is null
            ? Task.CompletedTask
            : Task.WhenAll(decisions.Select(decided => AppendAsync(state, decided)));
    }

    /// <summary>
    /// The records of an admission decision, started together (the grain calls it in its write grouping, so they commit with
    /// its state): the transparency log's entry (<see cref="LogDecisionsAsync"/>) and the run's charge (<see cref="ChargeAsync"/>).
    /// </summary>
    public Task RecordDecisionsAsync(ExecutionState state, ExecutionInput input, IEnumerable<ExecutionEffect> effects) =>
        Task.WhenAll(LogDecisionsAsync(state, effects), ChargeAsync(state, input, effects));

    /// <summary>
    /// Charges the run in the shares ledger when <paramref name="input"/> was an offer that <paramref name="effects"/> admitted
    /// on share facts; called in the grain's write grouping, so the charge commits with the admission. A failure is logged: the
    /// admission stands, and the run is not counted as held (as after a lost charge).
    /// </summary>
    private async Task ChargeAsync(ExecutionState state, ExecutionInput input, IEnumerable<ExecutionEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(effects);
        if (input is not OfferReceived { Facts.Shares: { } facts } offered || !effects.OfType<AdmissionDecided>().Any(d => d.Verdict.Admitted))
        {
            return;
        }

        try
        {
            await runner.ChargeAsync(offered.Offer, offered.From != offered.Local, facts);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ExecutionLog.EffectFailed(logger, state.Job, state.Epoch, $"shares ledger charge: {e.Message}");
        }
    }

    private async Task AppendAsync(ExecutionState state, AdmissionDecided decided)
    {
        try
        {
            var verdict = decided.Verdict;
            await transparency!.AppendAsync(TransparencyEntries.Admission(state.Job.ToString(), state.Epoch, decided.From.Value, verdict.Rule, verdict.Reason, (time ?? TimeProvider.System).GetUtcNow()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ExecutionLog.EffectFailed(logger, state.Job, state.Epoch, $"transparency log: {e.Message}");
        }
    }

    /// <summary>What an ending gives back once, before its bill: a Slurm run's hold in the capacity ledger, the run's place in the shares.</summary>
    private async Task EndedAsync(ExecutionState state, BillRun run)
    {
        if (ExecutorKinds.KindOf(run.Record.Run) == ExecutorKind.Slurm)
        {
            // The Slurm run is over: what it held in the ledger is free again (in the turn, before the bill).
            await ReleaseAsync(state);
        }

        // Ended, its accelerators released (an agent pool's by ReleaseNodes before this): no longer held in the shares.
        // Outside the turn: the ledger's first use after a start loads it, and the end must not wait for that.
        OffTurn(state, async () =>
        {
            await runner.EndedAsync(run.Record, run.Elapsed);
            return null;
        });
    }

    /// <summary>Gives back what the run held; when the ledger does not answer after its attempts, says so and goes on to the bill.</summary>
    private async Task ReleaseAsync(ExecutionState state)
    {
        try
        {
            await allocator.ReleaseAsync(holder);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ExecutionLog.ReleaseLost(logger, state.Job, state.Epoch, NodeAllocator.ReleaseAttempts, e.Message);
        }
    }

    private void OffTurn(ExecutionState state, Func<Task<ExecutionInput?>> work)
    {
        var (job, epoch) = (state.Job, state.Epoch);
        _ = Task.Run(async () =>
        {
            try
            {
                if (await work() is { } input)
                {
                    Done.Enqueue(input);
                    await self.EffectsDoneAsync();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ExecutionLog.EffectFailed(logger, job, epoch, e.Message);
            }
        });
    }
}
