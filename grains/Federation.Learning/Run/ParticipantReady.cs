using Federation.Contracts.Ids;

namespace Federation.Learning.Run;

/// <summary>
/// From a contributor to the aggregator: it is up and holds no round keys (it started, or restarted and
/// lost its ephemeral keys). A round waiting for it is retried with fresh keys.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.ParticipantReady")]
public sealed record ParticipantReady(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] NationCode From);
