using System.Globalization;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Silo.Api;
using Federation.Silo.Api.Requests;

namespace Federation.Silo.Artifacts;

/// <summary>
/// A model record pulled from a peer is a claim: it is read again with the same strict reader as a
/// local registration (<see cref="CatalogueRequestParser.ParseModel"/>), so a field a local body could
/// not carry (control characters, unbounded steps, a null element, a bad reference) is refused
/// naming the field, and the version is then registered with the peer as its home.
/// </summary>
public static class PeerModelRecords
{
    /// <summary>The strictly re-read spec of <paramref name="remote"/>, or null with <paramref name="errors"/> naming each field.</summary>
    public static ModelArtifactSpec? Reread(ModelArtifactSpec remote, CatalogueRequestParser parser, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(errors);
        if (remote?.Lineage is null)
        {
            errors.Add("spec", "the peer's record has no spec or no lineage");
            return null;
        }

        // The re-read spec, not the peer's, is what gets registered: its collections are in this nation's canonical order.
        return parser.ParseModel(ToRequest(remote), pathRef: null, errors);
    }

    private static ModelRequest ToRequest(ModelArtifactSpec s)
    {
        var lineage = s.Lineage;
        return new ModelRequest
        {
            Name = s.Ref.Name.Value,
            Version = s.Ref.Version.Value,
            Sha256 = s.Sha256.Value,
            Format = s.Format,
            SizeBytes = s.SizeBytes,
            Licence = s.Licence.Value,
            BaseModel = s.BaseModel?.ToString(),
            Metrics = s.Metrics is null ? null : new Dictionary<string, double>(s.Metrics, StringComparer.Ordinal),
            EnergyKwh = s.EnergyKwh,
            EmissionsGco2e = s.EmissionsGco2e,
            Description = s.Description,
            Restrictions = s.Restrictions is null ? null : new ModelRestrictionsRequest
            {
                MayLeave = s.Restrictions.MayLeave,
                Nations = s.Restrictions.Nations.IsDefault ? null : [.. s.Restrictions.Nations.Select(n => n.Value)],
            },
            Lineage = new LineageRequest
            {
                Datasets = lineage.Datasets.IsDefault ? null : [.. lineage.Datasets.Select(d => d.Nation.Value is null ? null! : d.ToString())],
                ProducingJob = lineage.ProducingJob?.ToString(),
                Round = lineage.Round,
                Workload = lineage.Workload,
                WorkloadVersion = lineage.WorkloadVersion,
                Conditions = lineage.Conditions is null ? null : new Dictionary<string, string>(lineage.Conditions, StringComparer.Ordinal),
                Steps = lineage.Steps.IsDefault ? null : [.. lineage.Steps.Select(step => step is null ? null! : new LineageStepRequest
                {
                    Name = step.Name,
                    Nation = step.Nation.Value,
                    Round = step.Round,
                    EnergyKwh = step.EnergyKwh,
                    EmissionsGco2e = step.EmissionsGco2e,
                })],
            },
        };
    }

    /// <summary>The problem answered when a peer's record fails <see cref="Reread"/>.</summary>
    public static IResult Refused(NationCode from, ModelRef model, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return Problems.Status(StatusCodes.Status502BadGateway, "Peer's model record refused",
            string.Create(CultureInfo.InvariantCulture, $"{from}'s record of {model} breaks the rules of a registration here, nothing pulled: {errors.Summary()}"),
            new Dictionary<string, object?> { ["from"] = from.Value, ["errors"] = errors.ToDictionary() });
    }
}
