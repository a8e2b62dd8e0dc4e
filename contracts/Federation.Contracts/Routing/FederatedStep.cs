using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Contracts.Routing;

/// <summary>One step of every round of a federated job.</summary>
[GenerateSerializer, Immutable, Alias("fed.FederatedStep")]
public sealed record FederatedStep
{
    /// <summary>Local training or aggregation.</summary>
    [Id(0)] public required FederatedStepKind Kind { get; init; }

    /// <summary>Where it runs.</summary>
    [Id(1)] public required NationCode Nation { get; init; }

    /// <summary>The allow-listed workload it runs.</summary>
    [Id(2)] public required WorkloadCall Workload { get; init; }

    /// <summary>The inputs it reads in place (a local step); empty for the aggregation.</summary>
    [Id(3)] public ImmutableArray<DatasetRef> Inputs { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(FederatedStep? other) =>
        other is not null && Kind == other.Kind && Nation == other.Nation && Workload == other.Workload
        && (Inputs.IsDefault ? [] : Inputs).SequenceEqual(other.Inputs.IsDefault ? [] : other.Inputs);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Nation);
}
