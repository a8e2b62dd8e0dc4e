using System.Globalization;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Jobs;

/// <summary>How fedctl writes the parts of a job record and of its events for people (times in UTC).</summary>
public static class JobText
{
    /// <summary>The states a job can be in, as the API writes them.</summary>
    public static IReadOnlyList<string> States { get; } =
        ["submitted", "planned", "offered", "admitted", "queued", "running", "succeeded", "failed", "cancelled", "timedOut", "requeued"];

    /// <summary>True for the states nothing changes after.</summary>
    public static bool IsFinished(string? state) => state is "succeeded" or "failed" or "cancelled" or "timedOut";

    /// <summary>The exit code fedctl ends a watch with once the job is in <paramref name="state"/> (finished).</summary>
    public static int ExitCodeOf(string state) => state == "succeeded" ? ExitCodes.Ok : ExitCodes.JobFailed;

    /// <summary>
    /// The id to put in a path from what the user typed: the id as the origin nation knows it
    /// (<c>train-1</c>); the global form <c>FR/train-1</c> is accepted too, and its nation returned.
    /// </summary>
    public static (string Id, string? Nation) ParseId(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < text.Length - 1 ? (text[(slash + 1)..], text[..slash]) : (text, null);
    }

    /// <summary>The API path of job <paramref name="id"/>, plus <paramref name="suffix"/>.</summary>
    public static string PathOf(string id, string suffix = "") => $"api/v1/jobs/{Uri.EscapeDataString(id)}{suffix}";

    /// <summary>The id of a job record within its origin nation (<c>spec.id</c>, else the part after the nation in <c>ref</c>).</summary>
    public static string IdOf(JsonNode record) =>
        Text(record["spec"]?["id"]) is { Length: > 0 } id ? id : ParseId(Text(record["ref"])).Id;

    /// <summary>A string or number as text; "" when absent.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.###", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    /// <summary>"-" for an absent or empty value, else the text.</summary>
    public static string OrDash(JsonNode? node) => Text(node) is { Length: > 0 } text ? text : "-";

    /// <summary>A share of the work (0..1) as a whole percentage, never rounded up to 100 % before the end; "-" when unknown.</summary>
    public static string Percent(JsonNode? progress) =>
        progress is JsonValue v && v.TryGetValue<double>(out var share)
            ? $"{(share >= 1 ? 100 : Math.Min(99, Math.Round(Math.Max(share, 0) * 100, MidpointRounding.AwayFromZero))).ToString("0", CultureInfo.InvariantCulture)}%"
            : "-";

    /// <summary>A timestamp as <c>2025-06-01 12:00:01Z</c> (<see cref="Output.Timestamp"/>); "-" when absent.</summary>
    public static string Time(JsonNode? at) => Output.Timestamp.Format(at);

    /// <summary>A number with up to <paramref name="format"/>'s decimals.</summary>
    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A run time for people: <c>42.5 s</c>, <c>4 min 05 s</c>, <c>3 h 12 min</c>.</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 60 => $"{Number(seconds, "0.#")} s",
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {(int)(seconds % 60):00} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60):00} min"),
    };

    /// <summary>
    /// The result of a finished job in one line: exit code, run time and what it said, e.g.
    /// <c>exit code 0 after 1 h 36 min: finished with exit code 0</c>; null when there is none.
    /// </summary>
    public static string? Result(JsonNode? result)
    {
        if (result is not JsonObject r)
        {
            return null;
        }

        var exit = r["exitCode"] is { } code ? $"exit code {Text(code)}" : "no exit code (it did not run to its end)";
        var ran = r["runSeconds"] is JsonValue v && v.TryGetValue<double>(out var seconds) ? $" after {Duration(seconds)}" : "";
        var message = Text(r["message"]) is { Length: > 0 } m ? $": {m}" : "";
        return $"{exit}{ran}{message}";
    }

    /// <summary>
    /// The energy of a finished job in one line, e.g. <c>1.234 kWh, 56.78 gCO2e (method: tdp-estimate, 1400 W, slurm executor)</c>,
    /// with the transfer energy of staged inputs when there were any;
    /// null when the result carries no energy.
    /// </summary>
    public static string? Energy(JsonNode? result)
    {
        if (result is not JsonObject r || (r["energyKwh"] is null && r["emissionsGco2e"] is null))
        {
            return null;
        }

        var kwh = r["energyKwh"] is JsonValue k && k.TryGetValue<double>(out var energy) ? $"{Number(energy)} kWh" : "? kWh";
        var gco2e = r["emissionsGco2e"] is JsonValue g && g.TryGetValue<double>(out var emissions) ? $"{Number(emissions, "0.##")} gCO2e" : "? gCO2e";
        var details = new List<string> { $"method: {OrDash(r["energyMethod"])}" };
        if (r["powerWatts"] is JsonValue p && p.TryGetValue<double>(out var watts))
        {
            details.Add($"{Number(watts, "0.#")} W");
        }

        if (Text(r["executor"]) is { Length: > 0 } executor)
        {
            details.Add($"{executor} executor");
        }

        var line = $"{kwh}, {gco2e} ({string.Join(", ", details)})";
        return r["stagedBytes"] is JsonValue b && b.TryGetValue<long>(out var staged) && staged > 0
            ? $"{line}; includes {Number(r["transferKwh"] is JsonValue t && t.TryGetValue<double>(out var transfer) ? transfer : 0, "0.######")} kWh moving {Number(staged / 1e6, "0.###")} MB of inputs"
            : line;
    }

    /// <summary>
    /// The model a finished job registered, in one line, e.g. <c>outcome-model@1.0.0 (validation accuracy 0.87, loss 0.31)</c>;
    /// null when the result names none.
    /// </summary>
    public static string? Model(JsonNode? result)
    {
        if (result is not JsonObject r || Text(r["model"]) is not { Length: > 0 } model)
        {
            return null;
        }

        var metrics = new List<string>();
        if (r["validationAccuracy"] is JsonValue a && a.TryGetValue<double>(out var accuracy))
        {
            metrics.Add($"validation accuracy {Number(accuracy, "0.####")}");
        }

        if (r["validationLoss"] is JsonValue l && l.TryGetValue<double>(out var loss))
        {
            metrics.Add($"loss {Number(loss, "0.####")}");
        }

        return metrics.Count == 0 ? model : $"{model} ({string.Join(", ", metrics)})";
    }

    /// <summary>The accelerators a spec asks for, e.g. <c>2 x h100-sxm|a100-80gb-sxm</c> or <c>1 x any</c>.</summary>
    public static string Accelerators(JsonNode? accelerators)
    {
        var models = accelerators?["models"]?.AsArray().Select(Text).Where(m => m.Length > 0).ToList() ?? [];
        return $"{OrDash(accelerators?["count"])} x {(models.Count == 0 ? "any" : string.Join("|", models))}";
    }
}
