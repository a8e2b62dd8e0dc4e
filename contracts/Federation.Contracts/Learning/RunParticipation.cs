using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Contracts.Learning;

/// <summary>
/// A data nation's part in a federated run: the job, the aggregating nation, its own input (the first of
/// <see cref="Datasets"/>) and the strictest export policy of its inputs, and the spec's federated terms.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RunParticipation")]
public sealed record RunParticipation(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] NationCode Aggregator,
    [property: Id(2)] DatasetRef Dataset,
    [property: Id(3)] ExportPolicy Exports,
    [property: Id(4)] FederatedSpec Terms)
{
    /// <summary>Every input of the job at home in this nation; the local step trains on them together. Empty means <see cref="Dataset"/> alone.</summary>
    [Id(5)] public ImmutableArray<DatasetRef> Datasets { get; init; } = [];

    /// <summary>The inputs the local step trains on: <see cref="Datasets"/>, or <see cref="Dataset"/> alone.</summary>
    public ImmutableArray<DatasetRef> Inputs => Datasets.IsDefaultOrEmpty ? [Dataset] : Datasets;
}
