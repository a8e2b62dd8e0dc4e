using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>
/// A job as its submitter states it. The id is chosen by the client and unique in the origin
/// nation; the global id is <c>&lt;origin&gt;/&lt;id&gt;</c> (<see cref="JobRef"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.JobSpec")]
public sealed record JobSpec
{
    /// <summary>Id within the origin nation, a slug.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>Who the job belongs to.</summary>
    [Id(1)] public required JobOwner Owner { get; init; }

    /// <summary>Input datasets, anywhere in the federation.</summary>
    [Id(2)] public ImmutableArray<DatasetRef> Inputs { get; init; } = [];

    /// <summary>What the job is for.</summary>
    [Id(3)] public required JobPurpose Purpose { get; init; }

    /// <summary>The accelerators it needs.</summary>
    [Id(4)] public required AcceleratorRequest Accelerators { get; init; }

    /// <summary>How much computing it needs.</summary>
    [Id(5)] public required WorkEstimate Work { get; init; }

    /// <summary>Longest the run may take; the executor stops it after that.</summary>
    [Id(6), JsonIgnore] public TimeSpan Walltime { get; init; }

    /// <summary>The walltime limit in minutes, as JSON carries it.</summary>
    public double WalltimeMinutes
    {
        get => Walltime.TotalMinutes;
        init => Walltime = TimeSpan.FromMinutes(value);
    }

    /// <summary>When the results are needed by, if ever.</summary>
    [Id(7)] public DateTimeOffset? Deadline { get; init; }

    /// <summary>Higher runs first among jobs of the same owner; 0 by default.</summary>
    [Id(8)] public int Priority { get; init; }

    /// <summary>The allow-listed workload it runs.</summary>
    [Id(9)] public required WorkloadCall Workload { get; init; }

    /// <summary>What it produces.</summary>
    [Id(10)] public ImmutableArray<JobOutput> Outputs { get; init; } = [];

    /// <summary>
    /// Set when the job is federated: a local step per data nation runs <see cref="FederatedSpec.Training"/>,
    /// and <see cref="Workload"/> aggregates; null for an ordinary job.
    /// </summary>
    [Id(11)] public FederatedSpec? Federated { get; init; }

    /// <summary>The tier its accelerators are shared under; <see cref="JobTier.Standard"/> (left out of JSON) by default.</summary>
    [Id(20), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public JobTier Tier { get; init; }

    /// <summary>The registered course a <see cref="JobTier.Student"/> job belongs to; null for other tiers.</summary>
    [Id(21), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Course { get; init; }

    /// <summary>
    /// True when the job may wait for cleaner grid hours before its <see cref="Deadline"/> (which it then
    /// needs): the router may place it in a later window, in time to finish by the deadline.
    /// </summary>
    [Id(22), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool Deferrable { get; init; }

    /// <summary>The global id of this job when submitted to <paramref name="origin"/>.</summary>
    public JobRef RefIn(NationCode origin) => TypedId.Parse<JobRef>($"{origin}/{Id}");

    /// <inheritdoc />
    public bool Equals(JobSpec? other) =>
        other is not null && Id == other.Id && Owner == other.Owner && Inputs.SequenceEqual(other.Inputs)
        && Purpose == other.Purpose && Accelerators == other.Accelerators && Work == other.Work
        && Walltime == other.Walltime && Deadline == other.Deadline && Priority == other.Priority
        && Workload == other.Workload && Outputs.SequenceEqual(other.Outputs) && Federated == other.Federated
        && Tier == other.Tier && Course == other.Course
        && Deferrable == other.Deferrable;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Owner, Inputs.Length, Workload);
}
