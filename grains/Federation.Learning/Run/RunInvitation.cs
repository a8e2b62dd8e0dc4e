using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Learning.Run;

/// <summary>
/// From the aggregator to a data nation: take part in <paramref name="Job"/>'s run on
/// <paramref name="Datasets"/> (the job's inputs at home there) under the job's federated
/// <paramref name="Terms"/>. The receiver decides by its own catalogue (the dataset is at home there and its
/// export policy allows the terms), never by anything the message claims about the data.
/// </summary>
/// <param name="Job">The federated job.</param>
/// <param name="Aggregator">The aggregating nation (the sender).</param>
/// <param name="Datasets">The job's inputs whose home is the receiver.</param>
/// <param name="Terms">The job's federated terms.</param>
[GenerateSerializer, Immutable, Alias("fed.learning.RunInvitation")]
public sealed record RunInvitation(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] NationCode Aggregator,
    [property: Id(2)] ImmutableArray<DatasetRef> Datasets,
    [property: Id(3)] FederatedSpec Terms);
