using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>
/// From a contributor to the aggregator: the metrics its dataset's export policy lets out (validation
/// loss and accuracy of the local model, and the validation row count), read by the stopping rule.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RoundMetrics")]
public sealed record RoundMetrics(
    [property: Id(0)] RoundKey Session,
    [property: Id(1)] NationCode From,
    [property: Id(2)] double ValidationLoss,
    [property: Id(3)] double ValidationAccuracy,
    [property: Id(4)] long ValidationSamples);
