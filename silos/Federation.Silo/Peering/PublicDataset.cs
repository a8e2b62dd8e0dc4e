using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;

namespace Federation.Silo.Peering;

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
    /// <summary>
    /// The SHA-256 of the bytes as the home states it (lower-case hex), so that a nation that
    /// stages a copy checks it against the catalogue, not only against what the transfer said.
    /// </summary>
    public string? Sha256 { get; init; }

    /// <summary>
    /// The dataset's terms (id, version, residency, data use) signed by its home with its federation key:
    /// an origin attaches them to the offers it makes, and the receiver checks them against the roster.
    /// </summary>
    public SignedDatasetTerms? Terms { get; init; }

    /// <summary>
    /// What derived from the data may leave its home (a federated job's updates, metrics): the steward's
    /// export policy. A peer that does not send it is read as <see cref="ExportPolicy.None"/>, the strictest.
    /// </summary>
    public ExportPolicy Exports { get; init; }

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
        record.Version)
    {
        Sha256 = record.Spec.Sha256.Value,
        Exports = record.Spec.Exports,
    };
}
