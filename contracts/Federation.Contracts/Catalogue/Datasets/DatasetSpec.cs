using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>What a nation states about a dataset it contributes.</summary>
[GenerateSerializer, Immutable, Alias("fed.DatasetSpec")]
public sealed record DatasetSpec
{
    /// <summary>Id within the home nation.</summary>
    [Id(0)] public required DatasetId Id { get; init; }

    /// <summary>Short human title.</summary>
    [Id(1)] public required string Title { get; init; }

    /// <summary>Longer description.</summary>
    [Id(2)] public string Description { get; init; } = "";

    /// <summary>The nation that holds the data.</summary>
    [Id(3)] public required NationCode HomeNation { get; init; }

    /// <summary>Where the bytes are (file, s3, https, ...); never served to peers.</summary>
    [Id(4)] public required Uri Location { get; init; }

    /// <summary>Size in bytes.</summary>
    [Id(5)] public required long SizeBytes { get; init; }

    /// <summary>Number of records, when known.</summary>
    [Id(6)] public long? RecordCount { get; init; }

    /// <summary>Digest of the bytes.</summary>
    [Id(7)] public required Sha256Digest Sha256 { get; init; }

    /// <summary>Format, such as <c>parquet</c> or <c>csv</c>.</summary>
    [Id(8)] public required string Format { get; init; }

    /// <summary>Human summary of the schema (columns, types).</summary>
    [Id(9)] public string SchemaSummary { get; init; } = "";

    /// <summary>Licence.</summary>
    [Id(10)] public required SpdxExpression Licence { get; init; }

    /// <summary>Who answers for the dataset (a person or office, with contact).</summary>
    [Id(11)] public required string Steward { get; init; }

    /// <summary>Tags (lower-case slugs), sorted and distinct.</summary>
    [Id(12)] public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>Whether peers may see the metadata.</summary>
    [Id(13)] public Visibility Visibility { get; init; }

    /// <summary>Where the data may be processed.</summary>
    [Id(14)] public required Residency Residency { get; init; }

    /// <summary>What the data may be used for.</summary>
    [Id(15)] public required DataUseConditions DataUse { get; init; }

    /// <summary>Whether access needs a data-access grant of the home's committee; open when left out.</summary>
    [Id(16)] public DatasetAccess Access { get; init; } = DatasetAccess.Open;

    /// <summary>What derived from the data may leave its home when a job reads it in place; <see cref="ExportPolicy.None"/> when left out.</summary>
    [Id(17)] public ExportPolicy Exports { get; init; }

    /// <inheritdoc />
    public bool Equals(DatasetSpec? other) =>
        other is not null && Id == other.Id && Title == other.Title && Description == other.Description
        && HomeNation == other.HomeNation && Location == other.Location && SizeBytes == other.SizeBytes
        && RecordCount == other.RecordCount && Sha256 == other.Sha256 && Format == other.Format
        && SchemaSummary == other.SchemaSummary && Licence == other.Licence && Steward == other.Steward
        && Tags.SequenceEqual(other.Tags) && Visibility == other.Visibility && Residency == other.Residency
        && DataUse == other.DataUse && Exports == other.Exports && (Access ?? DatasetAccess.Open) == (other.Access ?? DatasetAccess.Open);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Title, SizeBytes, Sha256);
}
