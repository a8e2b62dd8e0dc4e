using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>A model version's lineage as <c>GET …/lineage</c> answers it.</summary>
/// <param name="Model">The model version.</param>
/// <param name="HomeNation">The nation whose catalogue holds this record.</param>
/// <param name="BaseModel">The model it was derived from.</param>
/// <param name="Lineage">Producing job and round, input datasets with their conditions, workload, steps.</param>
/// <param name="EnergyKwh">Energy of producing it, in kWh (the sum of its steps when it has steps and states no total).</param>
/// <param name="EmissionsGco2e">Emissions of producing it, in gCO2e (likewise).</param>
/// <param name="Licence">Its licence.</param>
/// <param name="Restrictions">Where its artifact may go.</param>
/// <param name="Artifact">The bytes this nation holds, when it holds them.</param>
public sealed record ModelLineageView(
    ModelRef Model,
    NationCode HomeNation,
    ModelRef? BaseModel,
    ModelLineage Lineage,
    double? EnergyKwh,
    double? EmissionsGco2e,
    SpdxExpression Licence,
    ModelRestrictions Restrictions,
    ArtifactRecord? Artifact)
{
    /// <summary>The view of <paramref name="record"/> with <paramref name="artifact"/>.</summary>
    public static ModelLineageView Of(ModelArtifactRecord record, ArtifactRecord? artifact)
    {
        ArgumentNullException.ThrowIfNull(record);
        var spec = record.Spec;
        var steps = spec.Lineage.Steps.IsDefaultOrEmpty ? null : (IReadOnlyList<LineageStep>)spec.Lineage.Steps;
        return new ModelLineageView(
            spec.Ref,
            record.HomeNation,
            spec.BaseModel,
            spec.Lineage,
            spec.EnergyKwh ?? steps?.Sum(s => s.EnergyKwh),
            spec.EmissionsGco2e ?? steps?.Sum(s => s.EmissionsGco2e),
            spec.Licence,
            spec.Restrictions,
            artifact);
    }
}
