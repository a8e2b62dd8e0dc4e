using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;

namespace Federation.Silo.Jobs;

/// <summary>Why a job is pending, or why it runs where it runs: <c>GET /api/v1/jobs/{id}/decision</c>.</summary>
/// <param name="Job">The job's global id.</param>
/// <param name="State">Its state now.</param>
/// <param name="StateReason">Why it is in that state.</param>
/// <param name="Epoch">The current placement attempt (0 before the first).</param>
/// <param name="Nation">Where it is placed, if anywhere.</param>
/// <param name="Decision">The routing decision: every candidate with its exclusion or score.</param>
/// <param name="Admissions">Every nation's answer to an offer.</param>
public sealed record JobExplanation(
    JobRef Job,
    JobState State,
    string StateReason,
    int Epoch,
    NationCode? Nation,
    RoutingDecision? Decision,
    ImmutableArray<Admission> Admissions)
{
    /// <summary>The model the job registered where it ran (a federated job's final model), once it finished with one.</summary>
    public ModelRef? Model { get; init; }

    /// <summary>The explanation of <paramref name="record"/>.</summary>
    public static JobExplanation Of(JobRecord record) =>
        new(record.Ref, record.State, record.StateReason, record.Epoch, record.Nation, record.Decision, record.Admissions) { Model = record.Result?.Model };
}
