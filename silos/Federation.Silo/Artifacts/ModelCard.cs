using System.Globalization;
using System.Text;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>
/// A model version's card, generated from its catalogue record, lineage and verified evaluations:
/// intended use, data by reference with conditions, lineage, evaluations and who signed them,
/// energy and emissions (the CO2 fields of a Hugging Face card: emissions, source, training type,
/// geographical location, hardware used), per-round kWh and gCO2e, privacy budget, licence.
/// </summary>
/// <param name="Model">The model version.</param>
/// <param name="HomeNation">The nation whose record this is.</param>
/// <param name="IntendedUse">The description registered with it.</param>
/// <param name="Licence">Its licence (SPDX).</param>
/// <param name="Restrictions">Where its bytes may go.</param>
/// <param name="Sha256">Its bytes' digest.</param>
/// <param name="Datasets">Its data, by reference, each with the conditions its home stated.</param>
/// <param name="Lineage">Producing job and round, base model, workload and version.</param>
/// <param name="Evaluations">Every evaluation attached here, with its signer and verdict.</param>
/// <param name="Co2">The CO2 fields of a Hugging Face model card.</param>
/// <param name="Rounds">Energy and emissions per federated round (empty when the lineage has no rounds).</param>
/// <param name="PrivacyBudget">The differential-privacy budget spent (metrics <c>dpEpsilon</c>, <c>dpDelta</c>), when recorded.</param>
public sealed record ModelCard(
    ModelRef Model,
    NationCode HomeNation,
    string IntendedUse,
    string Licence,
    ModelRestrictions Restrictions,
    Sha256Digest Sha256,
    IReadOnlyList<ModelCard.DataReference> Datasets,
    ModelCard.LineageSummary Lineage,
    IReadOnlyList<EvaluationView> Evaluations,
    ModelCard.Co2Emissions Co2,
    IReadOnlyList<ModelCard.RoundCost> Rounds,
    IReadOnlyDictionary<string, double> PrivacyBudget)
{
    /// <summary>A dataset by reference with its home's conditions.</summary>
    /// <param name="Dataset">The reference.</param>
    /// <param name="Conditions">The conditions as stated, when recorded.</param>
    public sealed record DataReference(DatasetRef Dataset, string? Conditions);

    /// <summary>Where the model came from.</summary>
    /// <param name="ProducingJob">The job.</param>
    /// <param name="Round">Its federated round.</param>
    /// <param name="BaseModel">The model it derives from.</param>
    /// <param name="Workload">Workload and version.</param>
    public sealed record LineageSummary(string? ProducingJob, int? Round, string? BaseModel, string? Workload);

    /// <summary>The <c>co2_eq_emissions</c> block of a Hugging Face card.</summary>
    /// <param name="Emissions">Grams of CO2e.</param>
    /// <param name="EnergyKwh">Energy in kWh.</param>
    /// <param name="Source">Where the figures come from.</param>
    /// <param name="TrainingType">federated, fine-tuning or pre-training.</param>
    /// <param name="GeographicalLocation">The nations where its steps ran.</param>
    /// <param name="HardwareUsed">What it ran on, as far as the lineage records it.</param>
    public sealed record Co2Emissions(double? Emissions, double? EnergyKwh, string Source, string TrainingType, string GeographicalLocation, string HardwareUsed);

    /// <summary>One round's cost.</summary>
    /// <param name="Round">The round.</param>
    /// <param name="EnergyKwh">kWh of its steps.</param>
    /// <param name="EmissionsGco2e">gCO2e of its steps.</param>
    /// <param name="Nations">Where its steps ran.</param>
    public sealed record RoundCost(int Round, double EnergyKwh, double EmissionsGco2e, string Nations);

    /// <summary>Every step of the lineage with its round, nation, kWh and gCO2e (a federated model: each contributor's local step per round).</summary>
    public IReadOnlyList<LineageStep> Steps { get; init; } = [];

    /// <summary>The card of <paramref name="record"/> with its evaluations judged.</summary>
    public static ModelCard Of(ModelArtifactRecord record, IReadOnlyList<EvaluationView> evaluations)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(evaluations);
        var spec = record.Spec;
        var lineage = spec.Lineage;
        var steps = lineage.Steps.IsDefault ? [] : lineage.Steps;
        var view = ModelLineageView.Of(record, null);
        var places = steps.Select(s => s.Nation.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rounds = steps.Where(s => s.Round is not null).GroupBy(s => s.Round!.Value).OrderBy(g => g.Key)
            .Select(g => new RoundCost(g.Key, g.Sum(s => s.EnergyKwh), g.Sum(s => s.EmissionsGco2e), string.Join(", ", g.Select(s => s.Nation.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))))
            .ToList();
        var trainingType = rounds.Count > 0 || lineage.Round is not null ? "federated" : spec.BaseModel is not null ? "fine-tuning" : "pre-training";
        var co2 = new Co2Emissions(
            view.EmissionsGco2e,
            view.EnergyKwh,
            spec.EmissionsGco2e is not null ? "stated at registration by " + record.HomeNation : steps.Length > 0 ? "sum of the lineage's steps, each measured by the federation's energy model in the nation that ran it" : "not recorded",
            trainingType,
            places.Count > 0 ? string.Join(", ", places) : record.HomeNation.Value,
            lineage.Workload is null ? "not recorded" : $"allow-listed workload {lineage.Workload} {lineage.WorkloadVersion}".TrimEnd());
        var privacy = spec.Metrics.Where(m => m.Key is "dpEpsilon" or "dpDelta").ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        return new ModelCard(
            spec.Ref,
            record.HomeNation,
            spec.Description,
            spec.Licence.Value,
            spec.Restrictions,
            spec.Sha256,
            [.. (lineage.Datasets.IsDefault ? [] : lineage.Datasets).Select(d => new DataReference(d, lineage.Conditions.TryGetValue(d.ToString(), out var c) ? c : null))],
            new LineageSummary(lineage.ProducingJob?.ToString(), lineage.Round, spec.BaseModel?.ToString(), lineage.Workload is null ? null : $"{lineage.Workload} {lineage.WorkloadVersion}".TrimEnd()),
            evaluations,
            co2,
            rounds,
            privacy)
        {
            Steps = [.. steps.OrderBy(s => s.Round ?? int.MaxValue).ThenBy(s => s.Nation.Value, StringComparer.Ordinal)],
        };
    }

    /// <summary>The card as Markdown.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"# {Model}\n\n");
        md.Append(c, $"- home: {HomeNation}\n- licence: {Licence}\n- sha256: `{Sha256}`\n");
        md.Append(c, $"- may go to: {(!Restrictions.MayLeave ? "nowhere (stays home)" : Restrictions.Nations.IsDefaultOrEmpty ? "any nation of the roster" : string.Join(", ", Restrictions.Nations))}\n\n");
        md.Append("## Intended use\n\n").Append(IntendedUse.Length == 0 ? "Not stated." : Cell(IntendedUse)).Append("\n\n");
        md.Append("## Data (by reference)\n\n| dataset | conditions |\n| --- | --- |\n");
        foreach (var d in Datasets)
        {
            md.Append(c, $"| {d.Dataset} | {Cell(d.Conditions ?? "not recorded")} |\n");
        }

        md.Append("\n## Lineage\n\n");
        md.Append(c, $"- producing job: {Lineage.ProducingJob ?? "not recorded"}\n- round: {Lineage.Round?.ToString(c) ?? "-"}\n- base model: {Lineage.BaseModel ?? "none"}\n- workload: {Lineage.Workload ?? "not recorded"}\n\n");
        md.Append("## Evaluations\n\n| dataset | signed by | accuracy | AUC | loss | calibration (ECE) | rows | when | signature |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var e in Evaluations)
        {
            var x = e.Evaluation;
            md.Append(c, $"| {x.Dataset} | {x.Nation} | {x.Accuracy:0.####} | {(x.Auc is { } auc ? auc.ToString("0.####", c) : "-")} | {x.Loss:0.####} | {x.Calibration:0.####} | {x.Rows} | {x.EvaluatedAt:u} | {(e.Verified ? "verified" : "FAILS: " + Cell(e.Problem ?? ""))} |\n");
        }

        md.Append("\n## Energy and emissions\n\n```yaml\nco2_eq_emissions:\n");
        md.Append(c, $"  emissions: {(Co2.Emissions is { } g ? g.ToString("R", c) : "null")}\n  source: \"{Co2.Source}\"\n  training_type: \"{Co2.TrainingType}\"\n");
        md.Append(c, $"  geographical_location: \"{Co2.GeographicalLocation}\"\n  hardware_used: \"{Co2.HardwareUsed}\"\n```\n\n");
        md.Append(c, $"Energy: {(Co2.EnergyKwh is { } kwh ? kwh.ToString("0.######", c) + " kWh" : "not recorded")}.\n\n");
        if (Rounds.Count > 0)
        {
            md.Append("| round | kWh | gCO2e | nations |\n| --- | --- | --- | --- |\n");
            foreach (var r in Rounds)
            {
                md.Append(c, $"| {r.Round} | {r.EnergyKwh:0.######} | {r.EmissionsGco2e:0.###} | {r.Nations} |\n");
            }

            md.Append('\n');
        }

        if (Steps.Any(s => s.Round is not null))
        {
            md.Append("Per round and nation:\n\n| round | nation | step | kWh | gCO2e |\n| --- | --- | --- | --- | --- |\n");
            foreach (var s in Steps)
            {
                md.Append(c, $"| {s.Round?.ToString(c) ?? "-"} | {s.Nation} | {s.Name} | {s.EnergyKwh:0.######} | {s.EmissionsGco2e:0.###} |\n");
            }

            md.Append("\nThe aggregating nation's own work (unmasking, averaging) is not measured and not counted.\n\n");
        }

        md.Append("## Privacy budget\n\n");
        md.Append(PrivacyBudget.Count == 0 ? "Not recorded (no differential privacy stated).\n" : string.Join(", ", PrivacyBudget.Select(p => string.Create(c, $"{p.Key} = {p.Value:R}"))) + "\n");
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
