using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Contracts.Learning;

/// <summary>
/// What the aggregating nation needs to run a federated job: the job, its data nations (contributors),
/// the spec's federated terms, the initial global weights and how long each secure-aggregation stage waits;
/// and the job's inputs by reference, so that each contributor is invited to train on those at home there.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.FederatedRunPlan")]
public sealed record FederatedRunPlan(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] ImmutableArray<NationCode> Contributors,
    [property: Id(2)] FederatedSpec Terms,
    [property: Id(3)] ImmutableArray<double> InitialWeights,
    [property: Id(4)] TimeSpan StageTimeout)
{
    /// <summary>The job's inputs (each contributor is invited on those whose home it is); empty for a run whose contributors joined otherwise.</summary>
    [Id(5)] public ImmutableArray<DatasetRef> Inputs { get; init; } = [];

    /// <summary>The job's declared purpose, carried on each invitation so that every contributor re-checks its own data's conditions.</summary>
    [Id(6)] public JobPurpose? Purpose { get; init; }

    /// <summary>The job's owner, carried on each invitation with the purpose.</summary>
    [Id(7)] public JobOwner? Owner { get; init; }
}
