using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Silo.Api;
using Federation.Silo.Api.Requests;

namespace Federation.Silo.Catalogue;

/// <summary>
/// The strict reading of a model body's lineage additions (round, workload, dataset conditions,
/// steps with energy and emissions) and of its <c>restrictions</c>; every error names its field.
/// </summary>
public static class ModelLineageParser
{
    /// <summary>At most this many steps, conditions or nations.</summary>
    public const int MaxItems = 256;

    /// <summary>Adds the lineage details of <paramref name="request"/> to <paramref name="lineage"/>.</summary>
    public static ModelLineage WithDetails(ModelLineage lineage, LineageRequest? request, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(errors);
        if (request is null)
        {
            return lineage;
        }

        if (request.Round is < 1)
        {
            errors.Add("lineage.round", $"must be >= 1, got {request.Round}");
        }

        if (request.Round is not null && request.ProducingJob is null)
        {
            errors.Add("lineage.round", "a round needs lineage.producingJob (the federated job it belongs to)");
        }

        var workload = Slug(request.Workload, "lineage.workload", errors);
        var workloadVersion = Slug(request.WorkloadVersion, "lineage.workloadVersion", errors);
        if (workloadVersion is not null && workload is null)
        {
            errors.Add("lineage.workloadVersion", "needs lineage.workload");
        }

        var conditions = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var listed = lineage.Datasets.IsDefault ? [] : lineage.Datasets.Select(d => d.ToString()).ToHashSet(StringComparer.Ordinal);
        if (request.Conditions is { Count: > MaxItems })
        {
            errors.Add("lineage.conditions", $"at most {MaxItems} entries");
        }

        foreach (var (key, value) in request.Conditions ?? [])
        {
            var field = $"lineage.conditions.{key}";
            if (!listed.Contains(key))
            {
                errors.Add(field, "names no dataset of lineage.datasets (write the reference as listed there, NATION/dataset-id)");
            }
            else if (RequestFields.Text(value, field, 1, 1000, errors) is { } text)
            {
                conditions[key] = text;
            }
        }

        var steps = ImmutableArray.CreateBuilder<LineageStep>();
        var stepRequests = request.Steps ?? [];
        if (stepRequests.Count > MaxItems)
        {
            errors.Add("lineage.steps", $"at most {MaxItems} steps");
        }

        for (var i = 0; i < stepRequests.Count; i++)
        {
            var field = $"lineage.steps[{i}]";
            if (stepRequests[i] is not { } step)
            {
                errors.Add(field, "must be an object, not null");
                continue;
            }

            var name = Slug(step.Name, field + ".name", errors);
            if (step.Name is null)
            {
                errors.Add(field + ".name", "is required, such as local-train or aggregate");
            }

            NationCode nation = default;
            if (!NationCode.TryParse(step.Nation, out nation, out var nationError))
            {
                errors.Add(field + ".nation", nationError);
            }

            if (step.Round is < 1)
            {
                errors.Add(field + ".round", $"must be >= 1, got {step.Round}");
            }

            var energy = Measure(step.EnergyKwh, field + ".energyKwh", errors);
            var emissions = Measure(step.EmissionsGco2e, field + ".emissionsGco2e", errors);
            if (name is not null && energy is not null && emissions is not null && nationError is null)
            {
                steps.Add(new LineageStep(name, nation, step.Round, energy.Value, emissions.Value));
            }
        }

        return lineage with
        {
            Round = request.Round,
            Workload = workload,
            WorkloadVersion = workloadVersion,
            Conditions = conditions.ToImmutable(),
            Steps = steps.ToImmutable(),
        };
    }

    /// <summary>The restrictions of a model body; none given: the artifact stays home.</summary>
    public static ModelRestrictions Restrictions(ModelRestrictionsRequest? request, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (request is null)
        {
            return ModelRestrictions.StaysHome;
        }

        var nations = ImmutableArray.CreateBuilder<NationCode>();
        var requested = request.Nations ?? [];
        if (requested.Count > MaxItems)
        {
            errors.Add("restrictions.nations", $"at most {MaxItems} nations");
        }

        for (var i = 0; i < requested.Count; i++)
        {
            if (NationCode.TryParse(requested[i], out var nation, out var error))
            {
                if (!nations.Contains(nation))
                {
                    nations.Add(nation);
                }
            }
            else
            {
                errors.Add($"restrictions.nations[{i}]", requested[i] is null ? "must be a nation code, not null" : error);
            }
        }

        var mayLeave = request.MayLeave ?? false;
        if (!mayLeave && requested.Count > 0)
        {
            errors.Add("restrictions.nations", "lists nations the artifact may go to, but restrictions.mayLeave is not true: set it, or drop the list");
        }

        return new ModelRestrictions { MayLeave = mayLeave, Nations = [.. nations.OrderBy(n => n.Value, StringComparer.Ordinal)] };
    }

    private static string? Slug(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length is >= 1 and <= 64 && char.IsAsciiLetterOrDigit(value[0])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            return value;
        }

        errors.Add(field, $"'{value}' is not allowed: 1 to 64 characters of letters, digits, '.', '-', '_', starting with a letter or digit");
        return null;
    }

    private static double? Measure(double? value, string field, ValidationErrors errors)
    {
        if (value is not { } v)
        {
            errors.Add(field, "is required (a number >= 0)");
            return null;
        }

        // Bounded so that the sum of every step (at most 256) stays finite and writable as JSON.
        if (!double.IsFinite(v) || v is < 0 or > MaxMeasure)
        {
            errors.Add(field, $"must be a number from 0 to {MaxMeasure:0e0}, got {v}");
            return null;
        }

        return v;
    }

    // A trillion kWh or gCO2e per step: far beyond any job, far below double's range.
    private const double MaxMeasure = 1e12;
}
