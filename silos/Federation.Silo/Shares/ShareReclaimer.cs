using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Lifecycle.Executions;
using Federation.Lifecycle.Shares;

namespace Federation.Silo.Shares;

/// <summary>
/// Carries out reclaim (docs/fair-share.md): it stands before the usage ledger as admission's share fact source,
/// remembers the runs admitted on borrowed accelerators, and when admission takes work within its shares that must
/// wait for accelerators, asks <see cref="Reclaim.OnDemand"/> which borrowed runs give them back. Runs to requeue are
/// given back to their origins (the drain's give-back: the executor stops the run, SIGTERM then a kill after a grace
/// for a process, <c>scancel</c> for Slurm, and the origin plans the job again under a new epoch, so it never runs
/// twice) with a reason that starts with <c>reclaimed</c>; runs that drain are left to end at their walltime. Until the
/// decision's hold ends nothing is lent (<see cref="ShareRules.Reclaim"/>). It decides nothing itself. In memory, like the ledger.
/// </summary>
public sealed partial class ShareReclaimer(ShareLedgerService ledger, IGrainFactory grains, LocalNation local, TimeProvider time, ILogger<ShareReclaimer> logger) : IShareFactSource
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BorrowedRun> _borrowed = new(StringComparer.Ordinal);
    private readonly List<ReclaimStep> _returning = [];
    private readonly List<ReclaimHold> _holds = [];

    /// <summary>The borrowed runs here now, the oldest first, each with when it gives its accelerators back if reclaimed.</summary>
    public IReadOnlyList<BorrowedRun> Borrowed()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Prune(now);
            return [.. _borrowed.Values.OrderBy(b => b.Run.StartedAt).ThenBy(b => b.Run.Holder, StringComparer.Ordinal)];
        }
    }

    /// <summary>The hold in force now, or null.</summary>
    public ReclaimHold? Hold()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return Reclaim.Active(_holds, now);
        }
    }

    /// <inheritdoc />
    public async Task<ShareFacts?> GatherAsync(JobOffer offer, bool foreign, int total, int free)
    {
        var facts = await ledger.GatherAsync(offer, foreign, total, free);
        return facts is null ? null : facts with { Reclaiming = Hold() };
    }

    /// <inheritdoc />
    public Task AdmittedAsync(JobOffer offer, bool borrowed) => ledger.AdmittedAsync(offer, borrowed);

    /// <inheritdoc />
    public Task EndedAsync(JobRef job, int epoch) => ledger.EndedAsync(job, epoch);

    /// <inheritdoc />
    public async Task AdmittedAsync(JobOffer offer, ShareVerdict verdict, ShareFacts facts)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(facts);
        await ledger.AdmittedAsync(offer, verdict.Borrowed);
        var now = time.GetUtcNow();
        var holder = IExecutionGrain.KeyOf(offer.Job, offer.Epoch);
        ReclaimDecision? decision;
        lock (_gate)
        {
            Prune(now);
            if (verdict.Borrowed)
            {
                var spec = offer.Spec;
                _borrowed.TryAdd(holder, new BorrowedRun(new HeldRun(holder, offer.Job.Origin.Value, spec.Accelerators.Count, now, now + spec.Walltime, true), offer.Job, offer.Epoch, spec.Owner.Consortium, null));
                return;
            }

            var returning = _returning.Sum(s => s.Run.Accelerators);
            decision = Reclaim.OnDemand(AdmissionRules.ShareRequestOf(offer, offer.Job.Origin != local.Code), verdict, facts, _borrowed.Values.Where(b => b.ReturnBy is null).Select(b => b.Run), returning, now);
            if (decision is null)
            {
                return;
            }

            _holds.Add(decision.Hold);
            foreach (var step in decision.Steps)
            {
                _returning.Add(step);
                if (_borrowed.TryGetValue(step.Run.Holder, out var run))
                {
                    _borrowed[step.Run.Holder] = run with { ReturnBy = step.ReturnBy };
                }
            }
        }

        LogReclaiming(logger, offer.Job, decision.Freed, decision.BackBy, decision.Reason);
        _ = Task.Run(() => GiveBackAsync(decision));
    }

    private async Task GiveBackAsync(ReclaimDecision decision)
    {
        foreach (var step in decision.Steps.Where(s => s.Requeue))
        {
            BorrowedRun? run;
            lock (_gate)
            {
                run = _borrowed.GetValueOrDefault(step.Run.Holder);
            }

            if (run is null)
            {
                continue;
            }

            try
            {
                var given = await grains.GetGrain<IExecutionGrain>(step.Run.Holder).GiveBackAsync(Reclaim.GiveBackReason(decision, step));
                await ledger.ReleaseAsync(run.Job, run.Epoch);
                lock (_gate)
                {
                    _borrowed.Remove(step.Run.Holder);
                }

                LogGivenBack(logger, run.Job, run.Epoch, given);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogGiveBackFailed(logger, e, run.Job, run.Epoch);
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _borrowed.Where(b => b.Value.Run.EndsBy <= now).Select(b => b.Key).ToList())
        {
            _borrowed.Remove(key);
        }

        _returning.RemoveAll(s => s.ReturnBy <= now);
        _holds.RemoveAll(h => h.Until <= now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reclaiming {Freed} borrowed accelerators for {Job}, all back by {BackBy}: {Reason}")]
    private static partial void LogReclaiming(ILogger logger, JobRef job, int freed, DateTimeOffset backBy, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reclaimed epoch {Epoch} of {Job}: given back to its origin {Given} (false: it had already ended)")]
    private static partial void LogGivenBack(ILogger logger, JobRef job, int epoch, bool given);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reclaiming epoch {Epoch} of {Job} failed; it drains at its walltime instead")]
    private static partial void LogGiveBackFailed(ILogger logger, Exception exception, JobRef job, int epoch);
}

/// <summary>A run admitted here on borrowed accelerators.</summary>
/// <param name="Run">The run, as reclaim sees it.</param>
/// <param name="Job">Its job.</param>
/// <param name="Epoch">Its epoch.</param>
/// <param name="Consortium">The consortium it runs for; null when none.</param>
/// <param name="ReturnBy">When a reclaim under way has it back at the latest; null when it is not being reclaimed.</param>
public sealed record BorrowedRun(HeldRun Run, JobRef Job, int Epoch, string? Consortium, DateTimeOffset? ReturnBy);
