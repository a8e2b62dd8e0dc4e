using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Models;

/// <summary>Where a model came from.</summary>
/// <param name="Datasets">Datasets it was trained or tuned on.</param>
/// <param name="ProducingJob">The job that produced it, when known.</param>
[GenerateSerializer, Immutable, Alias("fed.ModelLineage")]
public sealed record ModelLineage(
    [property: Id(0)] ImmutableArray<DatasetRef> Datasets,
    [property: Id(1)] JobRef? ProducingJob)
{
    /// <summary>The federated round of <see cref="ProducingJob"/> that produced it, for a federated job.</summary>
    [Id(2)] public int? Round { get; init; }

    /// <summary>The workload that produced it (an allow-listed workload name).</summary>
    [Id(3)] public string? Workload { get; init; }

    /// <summary>The version of <see cref="Workload"/>.</summary>
    [Id(4)] public string? WorkloadVersion { get; init; }

    /// <summary>The conditions each input dataset carried when it was used (key: the dataset reference), as its home stated them.</summary>
    [Id(5)] public ImmutableSortedDictionary<string, string> Conditions { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The steps that produced it, each with its energy and emissions.</summary>
    [Id(6)] public ImmutableArray<LineageStep> Steps { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(ModelLineage? other) =>
        other is not null && Datasets.SequenceEqual(other.Datasets) && ProducingJob == other.ProducingJob
        && Round == other.Round && Workload == other.Workload && WorkloadVersion == other.WorkloadVersion
        && Conditions.SequenceEqual(other.Conditions) && Steps.AsSpan().SequenceEqual(other.Steps.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Datasets.Length, ProducingJob, Round);
}
