using System.Collections.Immutable;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>From the aggregator to each advertiser: every verified key advert of the session.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RelayedAdverts")]
public sealed record RelayedAdverts(
    [property: Id(0)] RoundKey Session,
    [property: Id(1)] ImmutableArray<KeyAdvert> Adverts);
