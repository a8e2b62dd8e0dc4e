using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Contracts.Learning;

/// <summary>A data nation's part in a federated run: the job, the aggregating nation, its own input and that input's export policy, and the spec's federated terms.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RunParticipation")]
public sealed record RunParticipation(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] NationCode Aggregator,
    [property: Id(2)] DatasetRef Dataset,
    [property: Id(3)] ExportPolicy Exports,
    [property: Id(4)] FederatedSpec Terms);
