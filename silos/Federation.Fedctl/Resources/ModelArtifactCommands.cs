using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Output;

namespace Federation.Fedctl.Resources;

/// <summary><c>fedctl models push|pull|lineage</c> (and the evaluation commands): a model version's bytes and where they came from.</summary>
public sealed class ModelArtifactCommands(FedctlContext context)
{
    private const string Sha256Header = "X-Content-Sha256";

    /// <summary>The subcommands to add to <c>fedctl models</c>.</summary>
    public IEnumerable<Command> Build() => [Push(), Pull(), Lineage(), .. new ModelEvaluationCommands(context).Build()];

    private Command Push()
    {
        var file = new Argument<FileInfo>("file") { Description = "the artifact's file" };
        var name = new Option<string>("--name") { Description = "model name", Required = true };
        var version = new Option<string>("--version") { Description = "model version", Required = true };
        var command = new Command("push", "Upload a file as a registered model version's artifact; its SHA-256 is computed here and checked by the nation, which stores nothing if it differs.")
        {
            file, name, version,
        };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var source = parse.GetValue(file)!;
            if (!source.Exists)
            {
                throw new FedctlException($"{source.FullName} does not exist", ExitCodes.Usage);
            }

            var path = ItemPath(parse.GetValue(name)!, parse.GetValue(version)!);
            string sha;
            await using (var read = source.OpenRead())
            {
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
            }

            await using var body = source.OpenRead();
            var answer = await api.SendBytesAsync(HttpMethod.Put, path + "/artifact", body, new Dictionary<string, string> { [Sha256Header] = sha }, ct);
            if (context.Json(parse))
            {
                context.WriteJson(answer.Body);
            }
            else
            {
                WriteArtifact(output, answer.Body!, answer.Status == System.Net.HttpStatusCode.Created ? "stored" : "already stored");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Pull()
    {
        var model = new Argument<string>("model") { Description = "name@version, such as tumour-net@1.0.0" };
        var from = new Option<string>("--from") { Description = "make this nation pull the artifact from that nation (such as FR) first" };
        var output = new Option<FileInfo>("--out") { Description = "write the artifact to this file (checked against its SHA-256)" };
        var command = new Command("pull", "Make this nation pull a model version's artifact from another nation (--from), and/or download it to a file (--out).")
        {
            model, from, output,
        };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, writer) =>
        {
            var path = ItemPath(parse.GetValue(model)!);
            var target = parse.GetValue(output);
            if (parse.GetValue(from) is not { Length: > 0 } nation && target is null)
            {
                throw new FedctlException("say where the artifact comes from (--from NATION) or where it goes (--out FILE), or both", ExitCodes.Usage);
            }

            JsonNode? pulled = null;
            if (parse.GetValue(from) is { Length: > 0 } peer)
            {
                // As long as the pull takes (the nation gives up only when the peer stalls); if this client goes away, the nation still completes it.
                pulled = (await api.SendUntimedAsync(HttpMethod.Post, path + ":pull", new JsonObject { ["from"] = peer }, ct)).Body;
            }

            if (target is not null)
            {
                var written = await DownloadAsync(api, path + "/artifact", target, ct);
                pulled ??= new JsonObject { ["sha256"] = written.Sha256, ["sizeBytes"] = written.Size };
                pulled["file"] = target.FullName;
            }

            if (context.Json(parse))
            {
                context.WriteJson(pulled);
            }
            else
            {
                WriteArtifact(writer, pulled!, target is null ? "pulled" : parse.GetValue(from) is { Length: > 0 } ? "pulled and written" : "written");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Lineage()
    {
        var model = new Argument<string>("model") { Description = "name@version, such as tumour-net@1.0.0" };
        var command = new Command("lineage", "Where a model version came from: job and round, datasets with their conditions, base model, workload, steps with energy and emissions, licence, restrictions.") { model };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var view = (await api.SendAsync(HttpMethod.Get, ItemPath(parse.GetValue(model)!) + "/lineage", cancellationToken: ct)).Body!;
            if (context.Json(parse))
            {
                context.WriteJson(view);
                return ExitCodes.Ok;
            }

            var lineage = view["lineage"]!;
            var restrictions = view["restrictions"];
            var mayLeave = restrictions?["mayLeave"]?.GetValue<bool>() == true;
            var nations = restrictions?["nations"]?.AsArray().Select(Text).ToList() ?? [];
            DetailView.WritePairs(output,
            [
                ("model", Text(view["model"])),
                ("home", Text(view["homeNation"])),
                ("base model", Text(view["baseModel"])),
                ("producing job", Text(lineage["producingJob"])),
                ("round", Text(lineage["round"])),
                ("workload", lineage["workload"] is null ? "" : $"{Text(lineage["workload"])} {Text(lineage["workloadVersion"])}".Trim()),
                ("energy kwh", Text(view["energyKwh"])),
                ("emissions gco2e", Text(view["emissionsGco2e"])),
                ("licence", Text(view["licence"])),
                ("may go to", !mayLeave ? "nowhere (stays home)" : nations.Count == 0 ? "any nation of the roster" : string.Join(", ", nations)),
                ("artifact", view["artifact"] is { } a ? $"sha256 {Text(a["sha256"])}, {Text(a["sizeBytes"])} bytes from {Text(a["source"])}" : "not held here"),
            ]);
            var conditions = lineage["conditions"]?.AsObject();
            output.WriteLine();
            TableWriter.Write(output, ["dataset", "conditions"],
                (lineage["datasets"]?.AsArray() ?? []).Select(d => (IReadOnlyList<string>)[Text(d), Text(conditions?[Text(d)])]), maxCellWidth: 80);
            var steps = lineage["steps"]?.AsArray() ?? [];
            if (steps.Count > 0)
            {
                output.WriteLine();
                TableWriter.Write(output, ["step", "nation", "round", "kwh", "gco2e"],
                    steps.Select(s => (IReadOnlyList<string>)[Text(s!["name"]), Text(s["nation"]), Text(s["round"]), Text(s["energyKwh"]), Text(s["emissionsGco2e"])]));
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>Downloads into a temporary file beside <paramref name="target"/>, checks the SHA-256 the nation states, then renames it into place.</summary>
    private static async Task<(string Sha256, long Size)> DownloadAsync(ApiClient api, string path, FileInfo target, CancellationToken ct)
    {
        var temporary = target.FullName + $".partial-{Guid.NewGuid():N}";
        try
        {
            System.Net.Http.Headers.HttpResponseHeaders headers;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                headers = await api.DownloadAsync(path, file, ct);
            }

            string actual;
            await using (var read = File.OpenRead(temporary))
            {
                actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
            }

            var stated = headers.TryGetValues(Sha256Header, out var values) ? values.FirstOrDefault() : null;
            if (stated is null || !string.Equals(stated, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new FedctlException($"checksum mismatch: the nation states sha256 {stated ?? "(none)"}, the bytes received hash to {actual}; {target.FullName} was not written", ExitCodes.Failure);
            }

            File.Move(temporary, target.FullName, overwrite: true);
            return (actual, new FileInfo(target.FullName).Length);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void WriteArtifact(TextWriter output, JsonNode artifact, string outcome) =>
        TableWriter.Write(output, ["model", "sha256", "size", "from", "outcome"],
        [
            [artifact["model"] is { } m ? Text(m) : "", Text(artifact["sha256"]), Text(artifact["sizeBytes"]), Text(artifact["source"]), artifact["file"] is { } f ? $"{outcome}: {Text(f)}" : outcome],
        ], maxCellWidth: 80);

    /// <summary>The API path of a model written <c>name@version</c>.</summary>
    internal static string ItemPath(string id)
    {
        var at = id.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == id.Length - 1)
        {
            throw new FedctlException($"'{id}' is not a model reference: write name@version, such as tumour-net@1.0.0", ExitCodes.Usage);
        }

        return ItemPath(id[..at], id[(at + 1)..]);
    }

    private static string ItemPath(string name, string version) =>
        $"api/v1/models/{Uri.EscapeDataString(name)}/versions/{Uri.EscapeDataString(version)}";

    /// <summary>A JSON value as table text.</summary>
    internal static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
