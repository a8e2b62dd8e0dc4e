using System.Collections.Immutable;
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
/// records the runs admitted on borrowed accelerators with the nation's <see cref="IBorrowedRunsGrain"/> (so every silo
/// of the nation sees them, and a restart keeps them), and when admission takes work within its shares that must wait
/// for accelerators, asks <see cref="Reclaim.OnDemand"/> which borrowed runs give them back. Runs to requeue are
/// reclaimed (<see cref="IExecutionGrain.ReclaimAsync"/>): a running workload is signalled to checkpoint (SIGUSR1, or
/// <c>scancel --signal=USR1</c>) and given back to its origin when <see cref="ShareSettings.CheckpointGrace"/> ends or it
/// ends (the executor stops it, and the origin plans the job again under a new epoch, so it never runs twice), with a
/// reason that starts with <c>reclaimed</c>; runs that drain are left to end at their walltime. Until the decision's
/// hold ends nothing is lent (<see cref="ShareRules.Reclaim"/>). It decides nothing itself.
/// </summary>
public sealed partial class ShareReclaimer(ShareLedgerService ledger, IGrainFactory grains, LocalNation local, TimeProvider time, ILogger<ShareReclaimer> logger) : IShareFactSource
{
    /// <summary>How often a decision is tried again when another silo changed the borrowed runs between the read and the mark.</summary>
    private const int Attempts = 5;

    private IBorrowedRunsGrain Register => grains.GetGrain<IBorrowedRunsGrain>(IBorrowedRunsGrain.Key);

    /// <summary>The borrowed runs here now, the oldest first, each with when it gives its accelerators back if reclaimed.</summary>
    public async Task<ImmutableArray<BorrowedRunEntry>> BorrowedAsync() => (await Register.ReadAsync()).Runs;

    /// <summary>The hold in force now, or null.</summary>
    public async Task<ReclaimHold?> HoldAsync() => Reclaim.Active((await Register.ReadAsync()).Holds.Select(h => new ReclaimHold(h.Accelerators, h.Until)), time.GetUtcNow());

    /// <inheritdoc />
    public async Task<ShareFacts?> GatherAsync(JobOffer offer, bool foreign, int total, int free)
    {
        var facts = await ledger.GatherAsync(offer, foreign, total, free);
        return facts is null ? null : facts with { Reclaiming = await HoldAsync() };
    }

    /// <inheritdoc />
    public Task AdmittedAsync(JobOffer offer, bool borrowed) => ledger.AdmittedAsync(offer, borrowed);

    /// <inheritdoc />
    public async Task EndedAsync(JobRef job, int epoch, double? usedHours)
    {
        await ledger.EndedAsync(job, epoch, usedHours);
        if (ledger.Enabled)
        {
            await Register.RemoveAsync(IExecutionGrain.KeyOf(job, epoch));
        }
    }

    /// <inheritdoc />
    public async Task AdmittedAsync(JobOffer offer, ShareVerdict verdict, ShareFacts facts)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(facts);
        await ledger.AdmittedAsync(offer, verdict.Borrowed);
        var now = time.GetUtcNow();
        var holder = IExecutionGrain.KeyOf(offer.Job, offer.Epoch);
        var spec = offer.Spec;
        if (verdict.Borrowed)
        {
            await Register.AddAsync(new BorrowedRunEntry(holder, offer.Job, offer.Epoch, spec.Owner.Consortium, spec.Accelerators.Count, now, now + spec.Walltime, null));
            return;
        }

        var request = AdmissionRules.ShareRequestOf(offer, offer.Job.Origin != local.Code);
        if (!Reclaim.MayReclaim(request, verdict, facts))
        {
            return; // nothing to reclaim, whatever is borrowed: no read of the borrowed runs
        }

        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var read = await Register.ReadAsync();
            var returning = read.Runs.Where(r => r.ReturnBy > now).Sum(r => r.Accelerators);
            var candidates = read.Runs.Where(r => r.ReturnBy is null).Select(r => new HeldRun(r.Holder, r.Job.Origin.Value, r.Accelerators, r.StartedAt, r.EndsBy, true));
            if (Reclaim.OnDemand(request, verdict, facts, candidates, returning, now) is not { } decision)
            {
                return;
            }

            if (await Register.ReclaimAsync(read.Version, [.. decision.Steps.Select(s => new ReclaimMark(s.Run.Holder, s.ReturnBy))], new ReclaimHoldEntry(decision.Hold.Accelerators, decision.Hold.Until)))
            {
                LogReclaiming(logger, offer.Job, decision.Freed, decision.BackBy, decision.Reason);
                var runs = read.Runs.ToDictionary(r => r.Holder, StringComparer.Ordinal);
                _ = Task.Run(() => GiveBackAsync(decision, runs));
                return;
            }
        }

        LogReclaimContended(logger, offer.Job, Attempts);
    }

    private async Task GiveBackAsync(ReclaimDecision decision, Dictionary<string, BorrowedRunEntry> runs)
    {
        foreach (var step in decision.Steps.Where(s => s.Requeue))
        {
            if (!runs.TryGetValue(step.Run.Holder, out var run))
            {
                continue;
            }

            try
            {
                var given = await grains.GetGrain<IExecutionGrain>(step.Run.Holder).ReclaimAsync(Reclaim.GiveBackReason(decision, step), ledger.Settings.CheckpointGrace);
                if (!given)
                {
                    // It was no longer live (it had ended): nothing comes back from it. A run given back stays marked,
                    // counted as coming back, until it ends (EndedAsync) or its return time passes.
                    await Register.RemoveAsync(run.Holder);
                }

                LogGivenBack(logger, run.Job, run.Epoch, given);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogGiveBackFailed(logger, e, run.Job, run.Epoch);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reclaiming {Freed} borrowed accelerators for {Job}, all back by {BackBy}: {Reason}")]
    private static partial void LogReclaiming(ILogger logger, JobRef job, int freed, DateTimeOffset backBy, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reclaimed epoch {Epoch} of {Job}: given back to its origin {Given} (false: it had already ended)")]
    private static partial void LogGivenBack(ILogger logger, JobRef job, int epoch, bool given);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No reclaim for {Job}: the borrowed runs changed under it {Attempts} times in a row (other silos reclaiming); its next offer tries again")]
    private static partial void LogReclaimContended(ILogger logger, JobRef job, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reclaiming epoch {Epoch} of {Job} failed; it drains at its walltime instead")]
    private static partial void LogGiveBackFailed(ILogger logger, Exception exception, JobRef job, int epoch);
}
