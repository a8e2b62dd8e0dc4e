using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Execution.Workloads;
using Federation.Routing.Trust;

namespace Federation.Lifecycle.Executions;

/// <summary>
/// What the adapter gathers before an offer can be decided (<see cref="AdmissionRules"/>): the
/// operator's switches, the workload's allow-list entry and whether its file still matches its pin,
/// the terms of every input, the pools' capacity and, for a foreign job, what foreign jobs hold now.
/// </summary>
public sealed record AdmissionFacts
{
    /// <summary>This nation, which decides.</summary>
    public required NationCode Local { get; init; }

    /// <summary>The day of the decision (time-limited data use).</summary>
    public required DateOnly Today { get; init; }

    /// <summary>True while the operator refuses every job from another nation.</summary>
    public bool RefuseForeignJobs { get; init; }

    /// <summary>The operator's reason while the nation drains (it admits no new offers); null when it does not.</summary>
    public string? Draining { get; init; }

    /// <summary>Origins whose jobs are refused.</summary>
    public ImmutableHashSet<string> RefuseFrom { get; init; } = [];

    /// <summary>The workload's allow-list entry; null when the workload is not on the list.</summary>
    public WorkloadDefinition? Workload { get; init; }

    /// <summary>Every entry of the allow-list (its keys), for the refusal's sentence.</summary>
    public ImmutableArray<string> AllowList { get; init; } = [];

    /// <summary>Why the workload's file failed verification against its pin; null when it matches (or has no file).</summary>
    public string? WorkloadMismatch { get; init; }

    /// <summary>What this nation knows of each input's terms: its own catalogue, or the terms the home signed.</summary>
    public ImmutableDictionary<DatasetRef, InputTerms> Inputs { get; init; } = ImmutableDictionary<DatasetRef, InputTerms>.Empty;

    /// <summary>Why the job's owner may not read this nation's controlled inputs (no valid data-access grant); empty when it may.</summary>
    public ImmutableArray<string> AccessRefusals { get; init; } = [];

    /// <summary>The capacity snapshot, one line per pool and model.</summary>
    public ImmutableArray<PoolLine> Pools { get; init; } = [];

    /// <summary>What foreign jobs hold now against the nation's share for them; null for a job of this nation's own.</summary>
    public ForeignShare? ForeignShare { get; init; }

    /// <summary>The fair share, consortium quotas and student tier (<see cref="Shares.ShareRules"/>); null when the nation does not apply them.</summary>
    public Shares.ShareFacts? Shares { get; init; }
}
