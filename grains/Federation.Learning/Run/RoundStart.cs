using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>
/// From the aggregator to each contributor: a round (and attempt) begins from these global weights, with
/// this session's key (fresh per attempt), the contributors invited and the Shamir threshold.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RoundStart")]
public sealed record RoundStart(
    [property: Id(0)] RoundKey Session,
    [property: Id(1)] int Round,
    [property: Id(2)] int Attempt,
    [property: Id(3)] ImmutableArray<double> GlobalWeights,
    [property: Id(4)] ImmutableArray<NationCode> Contributors,
    [property: Id(5)] int Threshold);
