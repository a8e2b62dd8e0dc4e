using System.Collections.Immutable;

namespace Federation.Silo.Peering;

/// <summary>What a peer sees of a model artifact: identity, lineage and figures, no storage location.</summary>
public sealed record PublicModel(
    string Nation,
    string Name,
    string Version,
    string Sha256,
    string Format,
    long SizeBytes,
    string Licence,
    string? BaseModel,
    ImmutableArray<string> LineageDatasets,
    ImmutableSortedDictionary<string, double> Metrics,
    double? EnergyKwh,
    double? EmissionsGco2e,
    string Description,
    int Revision)
{
    /// <summary>The public view of <paramref name="record"/>.</summary>
    public static PublicModel From(Federation.Contracts.Catalogue.Models.ModelArtifactRecord record) => new(
        record.HomeNation.Value,
        record.Spec.Ref.Name.Value,
        record.Spec.Ref.Version.Value,
        record.Spec.Sha256.Value,
        record.Spec.Format,
        record.Spec.SizeBytes,
        record.Spec.Licence.Value,
        record.Spec.BaseModel?.ToString(),
        [.. record.Spec.Lineage.Datasets.Select(d => d.ToString())],
        record.Spec.Metrics,
        record.Spec.EnergyKwh,
        record.Spec.EmissionsGco2e,
        record.Spec.Description,
        record.Version);
}
