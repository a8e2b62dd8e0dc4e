using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>
/// One epoch of a job in the nation that runs it (key: <c>exec-&lt;origin&gt;/&lt;id&gt;/&lt;epoch&gt;</c>):
/// admission, allocation, the run, lease renewals, and the outbox of reports to the origin.
/// </summary>
[Alias("fed.IExecutionGrain"), GrainInterfaceType("fed.IExecutionGrain")]
public interface IExecutionGrain : IOutboxClient
{
    /// <summary>The grain key of one epoch of a job.</summary>
    static string KeyOf(JobRef job, int epoch) => $"exec-{job}/{epoch}";

    /// <summary>The job and epoch of a grain key made by <see cref="KeyOf"/>.</summary>
    static (JobRef Job, int Epoch) ParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.StartsWith("exec-", StringComparison.Ordinal) || key.LastIndexOf('/') is var cut && cut <= "exec-".Length
            || !int.TryParse(key.AsSpan(cut + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var epoch))
        {
            throw new FormatException($"'{key}' is not an execution grain key (exec-<origin>/<id>/<epoch>).");
        }

        return (TypedId.Parse<JobRef>(key["exec-".Length..cut]), epoch);
    }

    /// <summary>Decides admission of the offer from <paramref name="from"/>; the same offer again gets the same answer.</summary>
    [Alias("OfferAsync")]
    Task<Admission> OfferAsync(NationCode from, JobOffer offer);

    /// <summary>
    /// Stops the run (cancelled by the origin, or fenced as stale); idempotent. False when the
    /// cancellation was not taken: it does not come from the origin, or it names an execution this
    /// nation does not know and the origin's budget of such cancellations is spent.
    /// </summary>
    [Alias("CancelAsync")]
    Task<bool> CancelAsync(NationCode from, JobCancellation cancellation);

    /// <summary>The execution, or null when never offered. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly, AlwaysInterleave]
    Task<ExecutionRecord?> GetAsync();

    /// <summary>
    /// Gives a live epoch back to its origin (this nation drains with <c>--give-back</c>): the run
    /// stops and the origin plans the job again with the next epoch. False when the epoch is not live
    /// (never admitted, over, or fenced): nothing is sent.
    /// </summary>
    [Alias("GiveBackAsync")]
    Task<bool> GiveBackAsync(string reason);

    /// <summary>
    /// Reclaims a live epoch's accelerators (a borrowed run, docs/fair-share.md): a running workload is
    /// signalled to checkpoint and the epoch is given back (as <see cref="GiveBackAsync"/>) when its run
    /// ends or <paramref name="checkpointGrace"/> has passed, whichever comes first; with no grace, or no
    /// run going yet, at once. True when taken (a repeated reclaim keeps the first deadline); false when
    /// the epoch is not live: nothing is sent.
    /// </summary>
    [Alias("ReclaimAsync")]
    Task<bool> ReclaimAsync(string reason, TimeSpan checkpointGrace);

    /// <summary>How many reports to the origin are written and not yet acknowledged. Side-effect free.</summary>
    [Alias("OwedReportsAsync"), ReadOnly, AlwaysInterleave]
    Task<int> OwedReportsAsync();

    /// <summary>
    /// Called at start-up for each run found outside the grain (a runner's job directory, a Slurm job
    /// with this epoch's name): a live execution follows it again; one that should not be running
    /// (fenced, finished, unknown here) stops it.
    /// </summary>
    [Alias("ReconcileAsync")]
    Task ReconcileAsync();

    /// <summary>
    /// Called by the grain's own effects that ran outside its turn (staging, a run's start, poll or
    /// stop) when they finish: the grain applies what they reported.
    /// </summary>
    [Alias("EffectsDoneAsync")]
    Task EffectsDoneAsync();

    /// <summary>
    /// Called by the nation's lease sweeper when the execution's lease entry is due, and by the capacity
    /// ledger when accelerators a run waiting in line may take were freed: the activation restarts its
    /// timer while it runs or owes reports (a run waiting for accelerators looks for them at once);
    /// otherwise it removes its entry.
    /// </summary>
    [Alias("WakeAsync")]
    Task WakeAsync();
}
