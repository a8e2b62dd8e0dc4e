using Federation.Contracts.Catalogue.Datasets;

namespace Federation.Contracts.Nations;

/// <summary>A nation's defaults for what it registers and admits.</summary>
/// <param name="DefaultResidency">Residency given to datasets registered without one.</param>
/// <param name="DefaultVisibility">Visibility given to datasets registered without one.</param>
/// <param name="MaxForeignShare">Largest share (0..1) of this nation's accelerators that foreign jobs may hold.</param>
[GenerateSerializer, Immutable, Alias("fed.NationPolicies")]
public sealed record NationPolicies(
    [property: Id(0)] Residency DefaultResidency,
    [property: Id(1)] Visibility DefaultVisibility,
    [property: Id(2)] double MaxForeignShare);
