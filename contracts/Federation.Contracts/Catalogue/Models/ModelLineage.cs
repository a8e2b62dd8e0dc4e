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
    /// <inheritdoc />
    public bool Equals(ModelLineage? other) =>
        other is not null && Datasets.SequenceEqual(other.Datasets) && ProducingJob == other.ProducingJob;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Datasets.Length, ProducingJob);
}
