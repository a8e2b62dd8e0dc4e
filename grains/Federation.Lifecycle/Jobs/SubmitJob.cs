using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;

namespace Federation.Lifecycle.Jobs;

/// <summary>A user submits the job, with the routing decision made when the submission was checked.</summary>
/// <param name="Spec">The job as submitted.</param>
/// <param name="Decision">The decision made at submission; null when it could not be made then (the job is planned again).</param>
public sealed record SubmitJob(JobSpec Spec, RoutingDecision? Decision) : JobInput
{
    /// <summary>
    /// The W3C <c>traceparent</c> of the submission's span, when traced: every message the job sends
    /// carries it, so that the job's path across nations is one trace (docs/telemetry.md).
    /// </summary>
    public string? TraceParent { get; init; }
}
