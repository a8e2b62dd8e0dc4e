using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Results;
using Federation.Contracts.Routing;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>
/// A job in its origin nation (key: <c>job-&lt;origin&gt;/&lt;id&gt;</c>): the spec, the state
/// machine, the routing decision, the current epoch, the events, the outbox of offers and
/// cancellations, and the lease the executing nation must keep renewing.
/// </summary>
[Alias("fed.IJobGrain"), GrainInterfaceType("fed.IJobGrain")]
public interface IJobGrain : IOutboxClient
{
    /// <summary>The grain key of a job.</summary>
    static string KeyOf(JobRef job) => "job-" + job;

    /// <summary>
    /// Accepts the job with the routing decision made when the submission was checked (one plan per
    /// job: the grain plans again only after a requeue or when every candidate refused; null when no
    /// decision could be made then). The same spec again is idempotent, another spec is a conflict.
    /// </summary>
    [Alias("SubmitAsync")]
    Task<CommandResult<JobRecord>> SubmitAsync(JobSpec spec, RoutingDecision? decision);

    /// <summary>The job, or null when never submitted. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly, AlwaysInterleave]
    Task<JobRecord?> GetAsync();

    /// <summary>Events after <paramref name="after"/>, oldest first. Side-effect free.</summary>
    [Alias("GetEventsAsync"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<JobEvent>> GetEventsAsync(long after);

    /// <summary>Cancels the job; a finished job is a conflict naming its state.</summary>
    [Alias("CancelAsync")]
    Task<CommandResult<JobRecord>> CancelAsync(string reason);

    /// <summary>The planner's answer to the grain's request for a decision.</summary>
    [Alias("PlannedAsync")]
    Task PlannedAsync(int attempt, RoutingDecision? decision, string? failure);

    /// <summary>A report from the executing nation <paramref name="from"/>.</summary>
    [Alias("ReportAsync")]
    Task<ReportAnswer> ReportAsync(NationCode from, ExecutionReport report);

    /// <summary>Writes the job to the read model again (rebuild).</summary>
    [Alias("RepublishAsync")]
    Task RepublishAsync();

    /// <summary>A lease renewal from the executing nation <paramref name="from"/>.</summary>
    [Alias("RenewLeaseAsync")]
    Task<LeaseAnswer> RenewLeaseAsync(NationCode from, int epoch);

    /// <summary>
    /// Called by the nation's lease sweeper when the job's lease entry is due: the activation
    /// restarts the job's timer if it needs one, and the job settles its entry (none when nothing is
    /// owed, the end of its retention once finished, removal of the job when that is over).
    /// </summary>
    [Alias("WakeAsync")]
    Task WakeAsync();
}
