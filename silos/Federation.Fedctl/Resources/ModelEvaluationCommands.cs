using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Output;

namespace Federation.Fedctl.Resources;

/// <summary>
/// <c>fedctl models evaluate|verify|card|leaderboard</c>: evaluations signed by the nations that hold
/// the data, checked against the roster, the model card, and a benchmark's leaderboard.
/// </summary>
public sealed class ModelEvaluationCommands(FedctlContext context)
{
    /// <summary>The subcommands to add to <c>fedctl models</c>.</summary>
    public IEnumerable<Command> Build() => [Evaluate(), Verify(), Card(), Leaderboard()];

    /// <summary>The card summary <c>fedctl models show</c> prints under the record.</summary>
    public static async Task WriteCardSummaryAsync(ApiClient api, string itemPath, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(output);
        var card = await api.TrySendAsync(HttpMethod.Get, itemPath + "/card", cancellationToken: ct);
        if (!card.IsSuccess || card.Body is not JsonObject c)
        {
            return;
        }

        var evaluations = c["evaluations"]?.AsArray() ?? [];
        var co2 = c["co2"];
        output.WriteLine();
        DetailView.WritePairs(output,
        [
            ("card", "fedctl models card " + Text(c["model"])),
            ("intended use", Text(c["intendedUse"])),
            ("training type", Text(co2?["trainingType"])),
            ("emissions gco2e", Text(co2?["emissions"])),
            ("where", Text(co2?["geographicalLocation"])),
            ("rounds", (c["rounds"]?.AsArray().Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("evaluations", evaluations.Count == 0 ? "none" : string.Join("; ", evaluations.Select(e =>
                $"{Text(e!["evaluation"]!["dataset"])} by {Text(e["evaluation"]!["nation"])}: accuracy {Text(e["evaluation"]!["accuracy"])}{(e["verified"]?.GetValue<bool>() == true ? " (verified)" : " (SIGNATURE FAILS)")}"))),
        ]);
    }

    private Command Evaluate()
    {
        var model = new Argument<string>("model") { Description = "name@version, such as tumour-net@1.0.0 (its bytes must be held here: pull them first)" };
        var dataset = new Option<string>("--dataset") { Description = "the id of one of this nation's datasets", Required = true };
        var command = new Command("evaluate", "Evaluate a model version on one of this nation's datasets; the result is signed with this nation's federation key and sent to every peer.") { model, dataset };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var signed = (await api.SendUntimedAsync(HttpMethod.Post, ModelArtifactCommands.ItemPath(parse.GetValue(model)!) + ":evaluate",
                new JsonObject { ["dataset"] = parse.GetValue(dataset) }, ct)).Body!;
            if (context.Json(parse))
            {
                context.WriteJson(signed);
                return ExitCodes.Ok;
            }

            var e = signed["evaluation"]!;
            TableWriter.Write(output, ["evaluation", "dataset", "signed by", "accuracy", "auc", "loss", "calibration", "rows"],
                [[Text(e["id"]), Text(e["dataset"]), Text(e["nation"]), Text(e["accuracy"]), Text(e["auc"]), Text(e["loss"]), Text(e["calibration"]), Text(e["rows"])]]);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Verify()
    {
        var name = new Argument<string>("name") { Description = "the model's name" };
        var version = new Argument<string>("version") { Description = "the model's version" };
        var command = new Command("verify", "Check every evaluation of a model version against the roster's pins; exits 1 naming each signature that fails.") { name, version };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var path = ModelArtifactCommands.ItemPath($"{parse.GetValue(name)}@{parse.GetValue(version)}") + "/verify";
            var answer = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).Body!;
            var valid = answer["valid"]?.GetValue<bool>() == true;
            if (context.Json(parse))
            {
                context.WriteJson(answer);
            }
            else
            {
                var evaluations = answer["evaluations"]?.AsArray() ?? [];
                TableWriter.Write(output, ["evaluation", "dataset", "signed by", "accuracy", "signature"],
                    evaluations.Select(v => (IReadOnlyList<string>)
                    [
                        Text(v!["evaluation"]!["id"]), Text(v["evaluation"]!["dataset"]), Text(v["evaluation"]!["nation"]), Text(v["evaluation"]!["accuracy"]),
                        v["verified"]?.GetValue<bool>() == true ? "verified" : "FAILS",
                    ]), maxCellWidth: 40);
                output.WriteLine(valid
                    ? $"{Text(answer["model"])}: {evaluations.Count} evaluation(s), every signature verified"
                    : $"{Text(answer["model"])}: verification failed");
            }

            if (!valid)
            {
                throw new FedctlException(string.Join(Environment.NewLine, (answer["failures"]?.AsArray() ?? []).Select(Text)), ExitCodes.Failure);
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Card()
    {
        var model = new Argument<string>("model") { Description = "name@version" };
        var command = new Command("card", "The model card as Markdown (-o json: the JSON card): intended use, data, lineage, evaluations and who signed them, energy and emissions, privacy budget, licence.") { model };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var path = ModelArtifactCommands.ItemPath(parse.GetValue(model)!) + "/card";
            if (context.Json(parse))
            {
                context.WriteJson((await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).Body);
                return ExitCodes.Ok;
            }

            using var markdown = new MemoryStream();
            await api.DownloadAsync(path + "?format=markdown", markdown, ct);
            output.Write(Encoding.UTF8.GetString(markdown.ToArray()));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Leaderboard()
    {
        var dataset = new Argument<string>("dataset") { Description = "the benchmark dataset, NATION/dataset-id such as SE/bench" };
        var command = new Command("leaderboard", "A benchmark dataset's leaderboard: every verified signed evaluation on it, best AUC first.") { dataset };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var text = parse.GetValue(dataset)!;
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == text.Length - 1)
            {
                throw new FedctlException($"'{text}' is not a dataset reference: write NATION/dataset-id, such as SE/bench", ExitCodes.Usage);
            }

            var board = (await api.SendAsync(HttpMethod.Get, $"api/v1/leaderboards/{Uri.EscapeDataString(text[..slash])}/{Uri.EscapeDataString(text[(slash + 1)..])}", cancellationToken: ct)).Body!;
            if (context.Json(parse))
            {
                context.WriteJson(board);
                return ExitCodes.Ok;
            }

            TableWriter.Write(output, ["rank", "model", "auc", "accuracy", "loss", "calibration", "rows", "signed by", "when"],
                (board["rows"]?.AsArray() ?? []).Select(r => (IReadOnlyList<string>)
                [
                    Text(r!["rank"]), Text(r["model"]), Text(r["auc"]), Text(r["accuracy"]), Text(r["loss"]), Text(r["calibration"]), Text(r["rows"]), Text(r["nation"]), Text(r["evaluatedAt"]),
                ]));
            foreach (var problem in board["unverified"]?.AsArray() ?? [])
            {
                output.WriteLine($"left out: {Text(problem)}");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static string Text(JsonNode? node) => ModelArtifactCommands.Text(node);
}
