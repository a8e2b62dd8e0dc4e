using System.Globalization;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Output;

/// <summary>
/// A routing decision record as a table: what <c>fedctl plan</c> prints, and what
/// <c>fedctl jobs explain</c> prints for the decision a submitted job was routed by.
/// </summary>
public static class DecisionTable
{
    /// <summary>The columns of the decision table.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["nation", "rank", "verdict", "accelerator", "kwh", "gco2e", "wait_h", "score", "reason"];

    /// <summary>
    /// Writes <paramref name="decision"/> as a table, one row per candidate in the decision's order
    /// (feasible by rank, then excluded), each further exclusion on a line of its own; then the summary.
    /// </summary>
    public static void Write(TextWriter output, JsonObject decision)
    {
        var chosen = decision["chosen"]?.GetValue<string>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var candidate in decision["candidates"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var nation = candidate["nation"]?.GetValue<string>() ?? "?";
            var reasons = (candidate["exclusions"]?.AsArray().OfType<JsonObject>() ?? [])
                .Select(e => $"{e["rule"]?.GetValue<string>()}: {e["reason"]?.GetValue<string>()}")
                .ToList();
            var verdict = reasons.Count > 0 ? "excluded" : nation == chosen ? "chosen" : "feasible";
            var rank = candidate["rank"]?.GetValue<int>().ToString(CultureInfo.InvariantCulture) ?? "-";
            if (reasons.Count == 0 && candidate["score"] is JsonObject score)
            {
                rows.Add(
                [
                    nation, rank, verdict, score["accelerator"]?.GetValue<string>() ?? "-",
                    Number(Sum(score, "computeKwh", "transferKwh"), "0.###"), Number(Sum(score, "computeGco2e", "transferGco2e"), "0.##"),
                    Number(Sum(score, "expectedWaitHours"), "0.##"), Number(Sum(score, "total"), "0.##"), "",
                ]);
                continue;
            }

            rows.Add([nation, rank, verdict, "-", "-", "-", "-", "-", reasons.FirstOrDefault() ?? ""]);
            rows.AddRange(reasons.Skip(1).Select(r => (IReadOnlyList<string>)["", "", "", "", "", "", "", "", r]));
        }

        // The reason is the last column: never cut, so that every rule and reason can be read in full.
        TableWriter.Write(output, Headers, rows, maxCellWidth: int.MaxValue);
        output.WriteLine();
        output.WriteLine(decision["summary"]?.GetValue<string>() ?? (chosen is null ? "no nation can run this job" : $"chosen: {chosen}"));
    }

    private static double Sum(JsonObject score, params string[] fields) => fields.Sum(f => score[f]?.GetValue<double>() ?? 0);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
