using Federation.Contracts.Ids;

namespace Federation.Contracts.Nations;

/// <summary>This nation's profile, as it presents itself.</summary>
[GenerateSerializer, Immutable, Alias("fed.NationProfile")]
public sealed record NationProfile
{
    /// <summary>ISO 3166-1 alpha-2 code.</summary>
    [Id(0)] public required NationCode Code { get; init; }

    /// <summary>Human name.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>Power usage effectiveness of the nation's data centres (>= 1).</summary>
    [Id(2)] public required double Pue { get; init; }

    /// <summary>Grid zone whose carbon intensity applies (a country code in the shipped table).</summary>
    [Id(3)] public required string GridZone { get; init; }

    /// <summary>Public URL of the user API.</summary>
    [Id(4)] public Uri? ApiEndpoint { get; init; }

    /// <summary>Public URL of the federation API.</summary>
    [Id(5)] public Uri? FederationEndpoint { get; init; }

    /// <summary>Defaults and limits.</summary>
    [Id(6)] public required NationPolicies Policies { get; init; }

    /// <summary>Rises by one on every change.</summary>
    [Id(7)] public int Version { get; init; }
}
