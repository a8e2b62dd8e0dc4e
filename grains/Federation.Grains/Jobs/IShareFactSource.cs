using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;

namespace Federation.Grains.Jobs;

/// <summary>
/// Where admission reads the share facts (entitlements, decayed usage, what is held here) and
/// tells what it admitted, so that the usage ledger counts it. The silo's shares feature provides it.
/// </summary>
public interface IShareFactSource
{
    /// <summary>The facts for <paramref name="offer"/>, with <paramref name="total"/> accelerators in service and <paramref name="free"/> free now; null when the nation applies no share rules.</summary>
    Task<ShareFacts?> GatherAsync(JobOffer offer, bool foreign, int total, int free);

    /// <summary>Records that <paramref name="offer"/> was admitted (idempotent per job and epoch); <paramref name="borrowed"/> when only on idle accelerators.</summary>
    Task AdmittedAsync(JobOffer offer, bool borrowed);

    /// <summary>
    /// Records that <paramref name="offer"/> was admitted on <paramref name="facts"/> with the share <paramref name="verdict"/>
    /// (idempotent per job and epoch): a run within its shares that must wait may reclaim borrowed accelerators.
    /// By default only <see cref="AdmittedAsync(JobOffer, bool)"/>.
    /// </summary>
    Task AdmittedAsync(JobOffer offer, ShareVerdict verdict, ShareFacts facts) => AdmittedAsync(offer, verdict.Borrowed);

    /// <summary>
    /// Records that epoch <paramref name="epoch"/> of <paramref name="job"/> ended here and its accelerators are released (any
    /// ending: succeeded, failed, cancelled, given back), having used <paramref name="usedHours"/> accelerator-hours from its
    /// start (null: not known), so that it is no longer counted as held and is charged no more than it used. Idempotent. By default nothing.
    /// </summary>
    Task EndedAsync(JobRef job, int epoch, double? usedHours) => Task.CompletedTask;
}
