using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Learning;

namespace Federation.Silo.Learning;

/// <summary>
/// The catalogue entry a federated job's final model is registered under at its aggregating nation, from
/// the job's spec, the run's lineage and what each input's home states of it. Pure: the same facts give the
/// same spec, so that registering again (a re-poll after a restart) is the same registration.
/// </summary>
public static class FederatedModelSpec
{
    /// <summary>The format of the registered bytes: the workloads' flat little-endian float32 weights (<c>weights.f32</c>).</summary>
    public const string Format = "federation-flat-f32";

    /// <summary>The version of a model whose name is derived from its job.</summary>
    public const string DerivedVersion = "1.0.0";

    /// <summary>The model <paramref name="job"/> registers: the spec's <c>output.model</c>, else <c>fed-&lt;origin&gt;-&lt;id&gt;@1.0.0</c> (lower case, other characters as '-', at most 63).</summary>
    public static ModelRef NameOf(JobRef job, FederatedSpec terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Output?.Model is { } named)
        {
            return named;
        }

        var slug = new StringBuilder();
        foreach (var c in $"fed-{job.Origin.Value}-{job.Id}".ToLowerInvariant())
        {
            slug.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }

        var text = slug.ToString();
        text = text[..Math.Min(text.Length, 63)].TrimEnd('-');
        return new ModelRef(TypedId.Parse<ModelName>(text), TypedId.Parse<ModelVersion>(DerivedVersion));
    }

    /// <summary>
    /// Where the model may go (output disclosure control). Every input's home must let updates leave
    /// (<see cref="ExportPolicy.MaskedUpdates"/> or <see cref="ExportPolicy.Updates"/>), else it stays home
    /// (<see cref="ModelRestrictions.StaysHome"/>). Then it may go to any nation of the roster when differential
    /// privacy was applied in the run (<paramref name="dpEpsilon"/>, the budget spent, is the disclosure control) or
    /// when every input exports plain updates; otherwise only to the run's own nations (its data nations and the
    /// aggregator), which held the aggregated model every round. An input whose terms are unknown counts as <c>none</c>.
    /// </summary>
    public static ModelRestrictions RestrictionsOf(IReadOnlyList<DatasetRef> inputs, IReadOnlyDictionary<DatasetRef, DatasetTermsStatement?> terms, NationCode aggregator, double? dpEpsilon)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(terms);
        var exports = inputs.Select(i => terms.GetValueOrDefault(i)?.Exports).ToList();
        if (exports.Count == 0 || !exports.All(e => e is ExportPolicy.MaskedUpdates or ExportPolicy.Updates))
        {
            return ModelRestrictions.StaysHome;
        }

        return dpEpsilon is > 0 and < double.PositiveInfinity || exports.All(e => e == ExportPolicy.Updates)
            ? new ModelRestrictions { MayLeave = true, Nations = [] }
            : new ModelRestrictions { MayLeave = true, Nations = [.. inputs.Select(i => i.Nation).Append(aggregator).Distinct().OrderBy(n => n.Value, StringComparer.Ordinal)] };
    }

    /// <summary>An input's conditions as the model's lineage records them: export policy, residency and data use, or why they are unknown.</summary>
    public static string ConditionsOf(DatasetTermsStatement? terms)
    {
        if (terms is null)
        {
            return "not recorded: its home did not answer when the model was registered";
        }

        var residency = terms.Residency.Kind switch
        {
            ResidencyKind.HomeOnly => "home only",
            ResidencyKind.ListedNations => $"home and {string.Join(", ", terms.Residency.Nations)}",
            _ => "anywhere",
        };
        var use = terms.DataUse;
        var modifiers = use.Modifiers.IsDefaultOrEmpty ? "" : " " + string.Join(" ", use.Modifiers);
        var disease = use.DiseaseTerm is { } d ? $" ({d})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"exports {Exports(terms.Exports)}; residency {residency}; data use {use.Permission}{disease}{modifiers}; catalogue version {terms.Version}");
    }

    /// <summary>The spec of <paramref name="job"/>'s final model: its bytes, licence, lineage with every step's energy, metrics and restrictions.</summary>
    public static ModelArtifactSpec Of(
        JobRef job, JobSpec spec, NationCode aggregator, FederatedRunLineage lineage, Sha256Digest sha256, long sizeBytes,
        IReadOnlyDictionary<DatasetRef, DatasetTermsStatement?> terms)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(terms);
        var federated = spec.Federated ?? throw new ArgumentException($"job {job} has no federated terms", nameof(spec));
        ImmutableArray<DatasetRef> inputs = spec.Inputs.IsDefault ? [] : spec.Inputs;
        var steps = Fit(lineage.Steps.IsDefault ? [] : lineage.Steps);
        var metrics = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        metrics["rounds"] = lineage.CompletedRounds;
        Put(metrics, "validationAccuracy", lineage.ValidationAccuracy);
        Put(metrics, "validationLoss", lineage.ValidationLoss);
        Put(metrics, "dpEpsilon", lineage.DpEpsilon);
        Put(metrics, "dpDelta", lineage.DpDelta);
        var finalRound = steps.Where(s => s.Name == "local-train").Select(s => s.Round).Max();
        return new ModelArtifactSpec
        {
            Ref = NameOf(job, federated),
            Sha256 = sha256,
            Format = Format,
            SizeBytes = sizeBytes,
            Licence = federated.Output?.Licence ?? TypedId.Parse<SpdxExpression>("NOASSERTION"),
            BaseModel = null,
            Lineage = new ModelLineage(inputs, job)
            {
                Round = finalRound,
                Workload = federated.Training.Name,
                WorkloadVersion = federated.Training.Version,
                Conditions = inputs.Distinct().ToImmutableSortedDictionary(i => i.ToString(), i => ConditionsOf(terms.GetValueOrDefault(i)), StringComparer.Ordinal),
                Steps = steps,
            },
            Metrics = metrics.ToImmutable(),
            EnergyKwh = steps.Sum(s => s.EnergyKwh),
            EmissionsGco2e = steps.Sum(s => s.EmissionsGco2e),
            Description = federated.Output?.Description is { Length: > 0 } description
                ? description
                : $"The final global model of federated job {job}, trained where its data lives ({string.Join(", ", inputs)}) and aggregated in {aggregator}.",
            Restrictions = RestrictionsOf(inputs, terms, aggregator, lineage.DpEpsilon),
        };
    }

    /// <summary>
    /// The steps as a catalogue entry holds them (at most <see cref="Catalogue.ModelLineageParser.MaxItems"/>, so that a peer that pulls the model
    /// reads it): every step when they fit, else one <c>local-train-total</c> step per nation with its totals.
    /// </summary>
    public static ImmutableArray<LineageStep> Fit(ImmutableArray<LineageStep> steps) =>
        steps.Length <= Catalogue.ModelLineageParser.MaxItems
            ? steps
            : [.. steps.GroupBy(s => s.Nation).OrderBy(g => g.Key.Value, StringComparer.Ordinal)
                .Select(g => new LineageStep("local-train-total", g.Key, null, g.Sum(s => s.EnergyKwh), g.Sum(s => s.EmissionsGco2e)))];

    private static void Put(ImmutableSortedDictionary<string, double>.Builder metrics, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            metrics[name] = v;
        }
    }

    private static string Exports(ExportPolicy policy) => policy switch
    {
        ExportPolicy.Metrics => "metrics",
        ExportPolicy.MaskedUpdates => "maskedUpdates",
        ExportPolicy.Updates => "updates",
        _ => "none",
    };
}
