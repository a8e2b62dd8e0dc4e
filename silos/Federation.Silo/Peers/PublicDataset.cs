using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;

namespace Federation.Silo.Peers;

/// <summary>What a peer may see of a public dataset: no location, no steward contact.</summary>
public sealed record PublicDataset(
    string Nation,
    string Id,
    string Title,
    string Description,
    long SizeBytes,
    long? RecordCount,
    string Format,
    string Licence,
    ImmutableArray<string> Tags,
    Residency Residency,
    DataUseConditions DataUse,
    int Version)
{
    /// <summary>The public view of <paramref name="record"/>.</summary>
    public static PublicDataset From(DatasetRecord record) => new(
        record.Spec.HomeNation.Value,
        record.Spec.Id.Value,
        record.Spec.Title,
        record.Spec.Description,
        record.Spec.SizeBytes,
        record.Spec.RecordCount,
        record.Spec.Format,
        record.Spec.Licence.Value,
        record.Spec.Tags,
        record.Spec.Residency,
        record.Spec.DataUse,
        record.Version);
}
