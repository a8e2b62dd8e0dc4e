using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Output;

namespace Federation.Fedctl;

/// <summary><c>fedctl plan job.json</c>: where a job would run and why, without submitting it.</summary>
public static class PlanCommands
{
    /// <summary>The columns of the decision table.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["nation", "rank", "verdict", "accelerator", "kwh", "gco2e", "wait_h", "score", "reason"];

    /// <summary>The <c>plan</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        var file = new Argument<string>("file")
        {
            Description = "the job as a JSON object ('-' reads standard input): id, owner, inputs (NATION/dataset-id), purpose, accelerators, work, walltimeMinutes, workload",
        };
        var failIfNowhere = new Option<bool>("--fail-if-nowhere")
        {
            Description = $"exit {ExitCodes.Nowhere} when no nation can run the job (default: exit 0, the table gives every reason)",
        };
        var command = new Command(
            "plan",
            "Plan a job on this nation: every candidate nation with the rules that exclude it or its score (energy, gCO2e of compute and transfer, expected wait), the ranking, and the chosen nation. Nothing is submitted.")
        {
            file,
        };
        command.Options.Add(failIfNowhere);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var job = ReadJob(parse.GetValue(file)!, context.Input);
            var decision = (await api.SendAsync(HttpMethod.Post, "api/v1/routes:plan", job, cancellationToken: ct)).Body as JsonObject
                ?? throw new FedctlException("the silo answered the plan without a decision record (no JSON object)", ExitCodes.Failure);
            if (context.Json(parse))
            {
                output.WriteLine(decision.ToJsonString(FedctlContext.Indented));
            }
            else
            {
                WriteDecision(output, decision);
            }

            return decision["chosen"] is null && parse.GetValue(failIfNowhere) ? ExitCodes.Nowhere : ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>
    /// Writes <paramref name="decision"/> as a table, one row per candidate in the decision's order
    /// (feasible by rank, then excluded), each further exclusion on a line of its own; then the summary.
    /// </summary>
    public static void WriteDecision(TextWriter output, JsonObject decision)
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

    /// <summary>Reads the job file: one JSON object (comments and trailing commas allowed).</summary>
    private static JsonObject ReadJob(string path, TextReader stdin)
    {
        string text;
        try
        {
            text = path == "-" ? stdin.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FedctlException($"cannot read the job file {path}: {e.Message}", ExitCodes.Usage);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FedctlException($"{path} is not valid JSON: line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message.Split(" LineNumber", 2)[0]}", ExitCodes.Usage);
        }

        return root as JsonObject
            ?? throw new FedctlException($"{path} must hold one job as a JSON object ({{\"id\": ..., \"inputs\": [...], \"workload\": {{...}}, ...}}), not {Describe(root)}", ExitCodes.Usage);
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
    };

    private static double Sum(JsonObject score, params string[] fields) => fields.Sum(f => score[f]?.GetValue<double>() ?? 0);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
