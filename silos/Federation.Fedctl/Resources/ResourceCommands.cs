using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Output;

namespace Federation.Fedctl.Resources;

/// <summary>list, show, register, update, withdraw and delete for one kind of catalogue entry.</summary>
public sealed class ResourceCommands(ResourceKind kind, FedctlContext context)
{
    private const int Parallelism = 8;

    /// <summary>The <c>fedctl &lt;kind&gt;</c> command with its subcommands.</summary>
    public Command Build()
    {
        var command = new Command(kind.Plural, $"Register, list and change this nation's {kind.Plural}.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Register());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(Withdraw());
        command.Subcommands.Add(Delete());
        if (kind != ResourceKind.Nodes)
        {
            command.Subcommands.Add(Search());
        }

        if (kind == ResourceKind.Models)
        {
            foreach (var artifactCommand in new ModelArtifactCommands(context).Build())
            {
                command.Subcommands.Add(artifactCommand);
            }
        }

        return command;
    }

    private Command Search()
    {
        var text = new Option<string>("--text") { Description = "words that must all occur" };
        var tag = new Option<string>("--tag") { Description = kind == ResourceKind.Datasets ? "exact tag" : "exact model name" };
        var limit = new Option<int>("--limit") { Description = "entries per nation (1-500)", DefaultValueFactory = _ => 50 };
        var federated = new Option<bool>("--federated") { Description = "search every reachable nation's public datasets, not only this nation's" };
        var command = new Command("search", $"Search {kind.Plural} here, or across the federation with --federated.");
        command.Options.Add(text);
        command.Options.Add(tag);
        command.Options.Add(limit);
        command.Options.Add(federated);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var query = new List<string> { $"limit={parse.GetValue(limit)}" };
            if (parse.GetValue(text) is { Length: > 0 } t)
            {
                query.Add("text=" + Uri.EscapeDataString(t));
            }

            if (parse.GetValue(tag) is { Length: > 0 } g)
            {
                query.Add((kind == ResourceKind.Datasets ? "tag=" : "name=") + Uri.EscapeDataString(g));
            }

            if (!parse.GetValue(federated))
            {
                var page = await api.SendAsync(HttpMethod.Get, $"{kind.Collection}?{string.Join('&', query)}", cancellationToken: ct);
                if (context.Json(parse))
                {
                    output.WriteLine(page.Body!.ToJsonString(FedctlContext.Indented));
                }
                else
                {
                    WriteTable(output, context.Format(parse), page.Body!["items"]!.AsArray());
                }

                return ExitCodes.Ok;
            }

            var result = (await api.SendAsync(HttpMethod.Get, $"api/v1/federated/{kind.Plural}?{string.Join('&', query)}", cancellationToken: ct)).Body!;
            if (context.Json(parse))
            {
                output.WriteLine(result.ToJsonString(FedctlContext.Indented));
            }
            else if (kind == ResourceKind.Models)
            {
                TableWriter.Write(
                    output,
                    ["nation", "model", "format", "licence", "lineage", "kwh", "gco2e"],
                    result["items"]!.AsArray().Select(m => (IReadOnlyList<string>)
                    [
                        m!["nation"]!.GetValue<string>(), $"{m["name"]}@{m["version"]}", m["format"]!.GetValue<string>(), m["licence"]!.GetValue<string>(),
                        string.Join(",", m["lineageDatasets"]?.AsArray().Select(d => d!.GetValue<string>()) ?? []), m["energyKwh"]?.ToString() ?? "", m["emissionsGco2e"]?.ToString() ?? "",
                    ]),
                    maxCellWidth: context.Format(parse) == OutputFormat.Wide ? int.MaxValue : 48);
            }
            else
            {
                TableWriter.Write(
                    output,
                    ["nation", "id", "title", "licence", "residency", "data use"],
                    result["items"]!.AsArray().Select(d => (IReadOnlyList<string>)
                    [
                        d!["nation"]!.GetValue<string>(), d["id"]!.GetValue<string>(), d["title"]!.GetValue<string>(), d["licence"]!.GetValue<string>(),
                        d["residency"]?["kind"]?.GetValue<string>() ?? "", d["dataUse"]?["permission"]?.GetValue<string>() ?? "",
                    ]),
                    maxCellWidth: context.Format(parse) == OutputFormat.Wide ? int.MaxValue : 48);
            }

            foreach (var nation in result["nations"]!.AsArray().Where(n => !n!["answered"]!.GetValue<bool>()))
            {
                context.Error.WriteLine($"partial: {nation!["nation"]} is missing ({nation["reason"]})");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command List()
    {
        var filters = kind.Filters.ToDictionary(f => f, f => new Option<string>($"--{f}") { Description = $"only {kind.Plural} whose {f} matches" });
        var limit = new Option<int>("--limit") { Description = "entries per page (1-500)", DefaultValueFactory = _ => 50 };
        var after = new Option<string>("--after") { Description = "continue after this key (the previous page's nextAfter)" };
        var all = new Option<bool>("--all") { Description = "follow every page" };
        var withdrawn = new Option<bool>("--include-withdrawn") { Description = "include withdrawn entries" };
        var command = new Command("list", $"List or search {kind.Plural}.");
        foreach (var option in filters.Values)
        {
            command.Options.Add(option);
        }

        command.Options.Add(limit);
        command.Options.Add(after);
        command.Options.Add(all);
        if (kind.CanWithdraw)
        {
            command.Options.Add(withdrawn);
        }

        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var items = new JsonArray();
            var cursor = parse.GetValue(after);
            string? next;
            do
            {
                var query = new List<string> { $"limit={parse.GetValue(limit)}" };
                query.AddRange(filters.Where(f => parse.GetValue(f.Value) is { Length: > 0 }).Select(f => $"{f.Key}={Uri.EscapeDataString(parse.GetValue(f.Value)!)}"));
                if (parse.GetValue(withdrawn))
                {
                    query.Add("includeWithdrawn=true");
                }

                if (cursor is not null)
                {
                    query.Add($"after={Uri.EscapeDataString(cursor)}");
                }

                var page = await api.SendAsync(HttpMethod.Get, $"{kind.Collection}?{string.Join('&', query)}", cancellationToken: ct);
                foreach (var item in page.Body!["items"]!.AsArray().ToList())
                {
                    items.Add(item!.DeepClone());
                }

                next = page.Body["nextAfter"]?.GetValue<string>();
                cursor = next;
            }
            while (parse.GetValue(all) && next is not null);

            var format = context.Format(parse);
            if (format == OutputFormat.Json)
            {
                output.WriteLine(new JsonObject { ["items"] = items, ["nextAfter"] = next }.ToJsonString(FedctlContext.Indented));
            }
            else
            {
                WriteTable(output, format, items);
                if (next is not null)
                {
                    context.Error.WriteLine($"(more: --after {next}, or --all)");
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private void WriteTable(TextWriter output, OutputFormat format, JsonArray items)
    {
        if (format == OutputFormat.Wide)
        {
            TableWriter.Write(output, [.. kind.Headers, .. kind.WideHeaders], items.Select(i => (IReadOnlyList<string>)[.. kind.Row(i!), .. kind.WideRow(i!)]), maxCellWidth: int.MaxValue);
        }
        else
        {
            TableWriter.Write(output, kind.Headers, items.Select(i => (IReadOnlyList<string>)kind.Row(i!)));
        }
    }

    private Command Show()
    {
        var id = new Argument<string>("id") { Description = kind.IdHelp };
        var command = new Command("show", $"Show one {kind.Singular} in full: its fields as 'name: value' lines and a section per part (-o json: the API's record).") { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var entry = await api.SendAsync(HttpMethod.Get, kind.ItemPath(parse.GetValue(id)!), cancellationToken: ct);
            if (context.Json(parse))
            {
                context.WriteJson(entry.Body);
                return ExitCodes.Ok;
            }

            DetailView.Write(output, entry.Body as JsonObject ?? throw new FedctlException($"the silo answered GET {kind.ItemPath(parse.GetValue(id)!)} without a JSON object", ExitCodes.WrongEndpoint), "spec");
            if (kind == ResourceKind.Models)
            {
                await ModelEvaluationCommands.WriteCardSummaryAsync(api, kind.ItemPath(parse.GetValue(id)!), output, ct);
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Register()
    {
        var file = new Argument<string>("file") { Description = "a JSON object, a JSON array of objects, or a CSV file ('-' reads JSON from standard input)" };
        var command = new Command("register", $"Register {kind.Plural} from a file. The whole file is validated first; if any entry is invalid, nothing is stored.") { file };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var entries = InputFile.Read(parse.GetValue(file)!, kind, context.Input);
            await ValidateAllAsync(api, entries, ct);

            var progress = new Progress(context.Error, "registered", entries.Count);
            var outcomes = new ConcurrentDictionary<int, (HttpStatusCode Status, JsonNode? Body, string? Error)>();
            await Parallel.ForEachAsync(Enumerable.Range(0, entries.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
            {
                var response = await api.TrySendAsync(HttpMethod.Post, kind.Collection, entries[i].Body, cancellationToken: token);
                outcomes[i] = (response.Status, response.Body, response.IsSuccess ? null : api.Explain(HttpMethod.Post, kind.Collection, response).Message);
                progress.Advance();
            });

            var created = outcomes.Values.Count(o => o.Status == HttpStatusCode.Created);
            var unchanged = outcomes.Values.Count(o => o.Status == HttpStatusCode.OK);
            var failures = outcomes.Where(o => o.Value.Error is not null).OrderBy(o => o.Key).ToList();
            if (context.Json(parse))
            {
                output.WriteLine(new JsonObject
                {
                    ["created"] = created,
                    ["unchanged"] = unchanged,
                    ["failed"] = new JsonArray([.. failures.Select(f => (JsonNode)new JsonObject { ["entry"] = entries[f.Key].Where, ["error"] = f.Value.Error })]),
                }.ToJsonString(FedctlContext.Indented));
            }
            else if (entries.Count == 1 && failures.Count == 0)
            {
                output.WriteLine($"{kind.Singular} {kind.IdOf(entries[0].Body)} {(created == 1 ? "registered" : "already registered with this spec (unchanged)")}");
            }
            else
            {
                output.WriteLine($"{entries.Count} {kind.Plural} in {progress.Elapsed.TotalSeconds:0.0} s: {created} registered, {unchanged} unchanged, {failures.Count} failed");
            }

            foreach (var (i, outcome) in failures)
            {
                context.Error.WriteLine($"{entries[i].Where} ({kind.IdOf(entries[i].Body)}): {outcome.Error}");
            }

            return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Conflict;
        }, ct));
        return command;
    }

    private async Task ValidateAllAsync(ApiClient api, IReadOnlyList<InputEntry> entries, CancellationToken ct)
    {
        var progress = entries.Count >= 50 ? new Progress(context.Error, "validated", entries.Count) : null;
        var problems = new ConcurrentDictionary<int, string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, entries.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
        {
            var response = await api.TrySendAsync(HttpMethod.Post, $"{kind.Collection}?dryRun=true", entries[i].Body, cancellationToken: token);
            if (!response.IsSuccess)
            {
                var explained = api.Explain(HttpMethod.Post, kind.Collection, response);
                if (explained.ExitCode != ExitCodes.Invalid)
                {
                    throw explained;
                }

                problems[i] = explained.Message;
            }

            progress?.Advance();
        });

        if (!problems.IsEmpty)
        {
            var shown = problems.OrderBy(p => p.Key).Take(20).Select(p => $"{entries[p.Key].Where} ({kind.IdOf(entries[p.Key].Body) ?? "no id"}): {p.Value}");
            var more = problems.Count > 20 ? $"{Environment.NewLine}... and {problems.Count - 20} more invalid entries" : "";
            throw new FedctlException(
                $"{problems.Count} of {entries.Count} entries are invalid, so nothing was registered. Fix them and run the command again:{Environment.NewLine}{string.Join(Environment.NewLine, shown)}{more}",
                ExitCodes.Invalid);
        }
    }

    private Command Update()
    {
        var file = new Argument<string>("file") { Description = "a JSON object with the full new spec" };
        var version = new Option<int?>("--version") { Description = "the version you read (If-Match); default: the current one" };
        var command = new Command("update", $"Replace a {kind.Singular}'s spec (optimistic concurrency on its version).") { file };
        command.Options.Add(version);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var entries = InputFile.Read(parse.GetValue(file)!, kind, context.Input);
            if (entries.Count != 1)
            {
                throw new FedctlException($"update takes one {kind.Singular}; {parse.GetValue(file)} holds {entries.Count}", ExitCodes.Usage);
            }

            var id = kind.IdOf(entries[0].Body) ?? throw new FedctlException($"{entries[0].Where} names no {kind.IdHelp}", ExitCodes.Usage);
            var path = kind.ItemPath(id);
            var ifMatch = parse.GetValue(version) is { } v ? $"\"{v}\"" : (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).ETag;
            var updated = await api.SendAsync(HttpMethod.Put, path, entries[0].Body, ifMatch, ct);
            output.WriteLine(context.Json(parse) ? updated.Body!.ToJsonString(FedctlContext.Indented) : $"{kind.Singular} {id} at version {updated.Body!["version"]}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Withdraw()
    {
        var id = new Argument<string>("id") { Description = kind.IdHelp };
        var reason = new Option<string>("--reason") { Description = "why (kept on the record)", Required = kind.CanWithdraw };
        var command = new Command("withdraw", kind.CanWithdraw
            ? $"Withdraw a {kind.Singular} from new work; it stays resolvable for lineage."
            : $"Remove a {kind.Singular} from the catalogue (refused while accelerators are allocated).") { id };
        command.Options.Add(reason);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var path = kind.ItemPath(parse.GetValue(id)!);
            if (!kind.CanWithdraw)
            {
                await api.SendAsync(HttpMethod.Delete, path, cancellationToken: ct);
                output.WriteLine(context.Json(parse)
                    ? new JsonObject { ["removed"] = parse.GetValue(id), ["kind"] = kind.Singular }.ToJsonString(FedctlContext.Indented)
                    : $"{kind.Singular} {parse.GetValue(id)} removed");
                return ExitCodes.Ok;
            }

            var result = await api.SendAsync(HttpMethod.Post, $"{path}:withdraw", new JsonObject { ["reason"] = parse.GetValue(reason) }, cancellationToken: ct);
            output.WriteLine(context.Json(parse) ? result.Body!.ToJsonString(FedctlContext.Indented) : $"{kind.Singular} {parse.GetValue(id)} withdrawn");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Delete()
    {
        var id = new Argument<string>("id") { Description = kind.IdHelp };
        var command = new Command("delete", $"Delete a {kind.Singular} (refused while anything references it).") { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            await api.SendAsync(HttpMethod.Delete, kind.ItemPath(parse.GetValue(id)!), cancellationToken: ct);
            output.WriteLine(context.Json(parse)
                ? new JsonObject { ["deleted"] = parse.GetValue(id), ["kind"] = kind.Singular }.ToJsonString(FedctlContext.Indented)
                : $"{kind.Singular} {parse.GetValue(id)} deleted");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
