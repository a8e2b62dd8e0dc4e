using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Contracts.Learning;

/// <summary>
/// What the aggregating nation needs to run a federated job: the job, its data nations (contributors),
/// the spec's federated terms, the initial global weights and how long each secure-aggregation stage waits.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.FederatedRunPlan")]
public sealed record FederatedRunPlan(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] ImmutableArray<NationCode> Contributors,
    [property: Id(2)] FederatedSpec Terms,
    [property: Id(3)] ImmutableArray<double> InitialWeights,
    [property: Id(4)] TimeSpan StageTimeout);
