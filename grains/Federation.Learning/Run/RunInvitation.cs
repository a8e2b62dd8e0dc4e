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
/// <remarks>
/// It carries the job's declared <see cref="Purpose"/> and <see cref="Owner"/> (whose nation is the job's origin), so that
/// the receiver checks its own datasets' data-use conditions itself before it joins.
/// </remarks>
[GenerateSerializer, Immutable, Alias("fed.learning.RunInvitation")]
public sealed record RunInvitation(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] NationCode Aggregator,
    [property: Id(2)] ImmutableArray<DatasetRef> Datasets,
    [property: Id(3)] FederatedSpec Terms)
{
    /// <summary>The job's declared purpose; required on the wire (the codec refuses an invitation without it).</summary>
    [Id(4)] public JobPurpose? Purpose { get; init; }

    /// <summary>The job's owner: the user the data-use conditions may name (DUO's US modifier), and the consortium.</summary>
    [Id(5)] public JobOwner? Owner { get; init; }
}
