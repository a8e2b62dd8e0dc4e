using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Models;

/// <summary>What a nation states about a model artifact it registers.</summary>
[GenerateSerializer, Immutable, Alias("fed.ModelArtifactSpec")]
public sealed record ModelArtifactSpec
{
    /// <summary>Name and version.</summary>
    [Id(0)] public required ModelRef Ref { get; init; }

    /// <summary>Digest of the artifact's bytes.</summary>
    [Id(1)] public required Sha256Digest Sha256 { get; init; }

    /// <summary>Format, such as <c>safetensors</c> or <c>onnx</c>.</summary>
    [Id(2)] public required string Format { get; init; }

    /// <summary>Size in bytes.</summary>
    [Id(3)] public required long SizeBytes { get; init; }

    /// <summary>Licence.</summary>
    [Id(4)] public required SpdxExpression Licence { get; init; }

    /// <summary>The model it was derived from, if any.</summary>
    [Id(5)] public ModelRef? BaseModel { get; init; }

    /// <summary>Datasets and job it came from.</summary>
    [Id(6)] public required ModelLineage Lineage { get; init; }

    /// <summary>Named metrics (accuracy, loss, ...).</summary>
    [Id(7)] public ImmutableSortedDictionary<string, double> Metrics { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>Energy used to produce it, in kWh.</summary>
    [Id(8)] public double? EnergyKwh { get; init; }

    /// <summary>Emissions of producing it, in gCO2e.</summary>
    [Id(9)] public double? EmissionsGco2e { get; init; }

    /// <summary>Human description.</summary>
    [Id(10)] public string Description { get; init; } = "";

    /// <summary>Where the artifact's bytes may go (default: nowhere outside the nation).</summary>
    [Id(11)] public ModelRestrictions Restrictions { get; init; } = ModelRestrictions.StaysHome;

    /// <inheritdoc />
    public bool Equals(ModelArtifactSpec? other) =>
        other is not null && Ref == other.Ref && Sha256 == other.Sha256 && Format == other.Format
        && SizeBytes == other.SizeBytes && Licence == other.Licence && BaseModel == other.BaseModel
        && Lineage == other.Lineage && Metrics.SequenceEqual(other.Metrics) && EnergyKwh == other.EnergyKwh
        && EmissionsGco2e == other.EmissionsGco2e && Description == other.Description && Restrictions == other.Restrictions;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Ref, Sha256);
}
