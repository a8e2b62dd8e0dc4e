using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Output;

namespace Federation.Fedctl.Jobs;

/// <summary>
/// <c>fedctl jobs submit|list|show|explain|watch|cancel|logs|outputs</c>: jobs submitted to this nation, wherever
/// in the federation they run.
/// </summary>
public static partial class JobCommands
{
    /// <summary>How long <c>jobs submit</c> waits for the job to be planned and offered before it reports.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(10);

    /// <summary>The columns of <c>jobs list</c>.</summary>
    public static IReadOnlyList<string> ListHeaders { get; } = ["id", "owner", "state", "nation", "epoch", "progress", "submitted", "reason"];

    /// <summary>The columns <c>jobs list -o wide</c> prints: more of them, and the reason in full, last.</summary>
    public static IReadOnlyList<string> WideHeaders { get; } = ["id", "owner", "state", "nation", "epoch", "progress", "submitted", "consortium", "workload", "updated", "reason"];

    /// <summary>The widest reason <c>jobs list</c> prints without <c>-o wide</c>.</summary>
    public const int ReasonWidth = 64;

    private static readonly TimeSpan s_settlePoll = TimeSpan.FromMilliseconds(200);

    /// <summary>The <c>jobs</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        var jobs = new Command("jobs", "Submit jobs to this nation, list and follow them, ask why they are pending or why they run where they do, cancel them, read their logs and outputs.");
        jobs.Subcommands.Add(Submit(context));
        jobs.Subcommands.Add(List(context));
        jobs.Subcommands.Add(Show(context));
        jobs.Subcommands.Add(Explain(context));
        jobs.Subcommands.Add(Watch(context));
        jobs.Subcommands.Add(Cancel(context));
        jobs.Subcommands.Add(JobFileCommands.Logs(context, IdArgument));
        jobs.Subcommands.Add(JobFileCommands.Outputs(context, IdArgument));
        jobs.Subcommands.Add(JobTransferCommands.Transfers(context, IdArgument));
        return jobs;
    }

    private static Argument<string> IdArgument() => new("id") { Description = "the job's id in this nation, such as train-1 (or its global id, FR/train-1)" };

    private static Command Submit(FedctlContext context)
    {
        var file = new Argument<string>("file")
        {
            Description = "the job as a JSON object, as 'fedctl plan' takes it ('-' reads standard input): id, owner, inputs, purpose, accelerators, work, walltimeMinutes, workload",
        };
        var watch = new Option<bool>("--watch") { Description = $"follow the job until it finishes, as 'jobs watch' does (exit {ExitCodes.JobFailed} unless it succeeds)" };
        var command = new Command(
            "submit",
            "Submit a job: the silo plans it and offers it to the best nation. Submitting the same spec again changes nothing; another spec under the same id is refused.")
        {
            file,
        };
        command.Options.Add(watch);
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var job = JobFile.Read(parse.GetValue(file)!, context.Input);
            var response = await api.TrySendAsync(HttpMethod.Post, "api/v1/jobs", job, cancellationToken: ct);
            if (!response.IsSuccess)
            {
                throw api.Explain(HttpMethod.Post, "api/v1/jobs", response);
            }

            var record = response.Body ?? throw new FedctlException("the silo accepted the job but sent no record back", ExitCodes.Failure);
            var id = JobText.IdOf(record);
            var what = response.Status == HttpStatusCode.Created ? "submitted" : "was submitted before with this spec (unchanged)";
            if (parse.GetValue(watch))
            {
                context.Error.WriteLine($"job {id} {what}; watching it (Ctrl+C stops watching, not the job)");
                return await WatchAsync(context, api, output, id, 0, context.Json(parse), ct);
            }

            record = await SettleAsync(api, id, record, ct);
            if (context.Json(parse))
            {
                output.WriteLine(record.ToJsonString(FedctlContext.Indented));
                return ExitCodes.Ok;
            }

            output.WriteLine($"job {id} {what}");
            WritePairs(output,
            [
                ("state", $"{JobText.Text(record["state"])} (epoch {JobText.Text(record["epoch"])})"),
                ("nation", JobText.OrDash(record["nation"])),
                ("reason", JobText.OrDash(record["stateReason"])),
            ]);
            context.Error.WriteLine($"follow it with 'fedctl jobs watch {id}'; why there: 'fedctl jobs explain {id}'");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command List(FedctlContext context)
    {
        var state = new Option<string>("--state") { Description = $"only jobs in this state: {string.Join(", ", JobText.States)}" };
        var owner = new Option<string>("--owner") { Description = "only jobs of this user" };
        var nation = new Option<string>("--nation") { Description = "only jobs offered to or running in this nation, such as FR" };
        var limit = new Option<int>("--limit") { Description = "jobs per page (1-500)", DefaultValueFactory = _ => 50 };
        var after = new Option<string>("--after") { Description = "continue after this job (the previous page's nextAfter, such as FR/train-1)" };
        var all = new Option<bool>("--all") { Description = "follow every page" };
        var wide = new Option<bool>("--wide") { Description = "same as -o wide", Hidden = true };
        var command = new Command("list", "List the jobs submitted to this nation, by id: state, where, how far, and why.");
        foreach (var option in new Option[] { state, owner, nation, limit, after, all, wide })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var filters = new List<string>();
            foreach (var (name, option) in new[] { ("state", state), ("owner", owner), ("nation", nation) })
            {
                if (parse.GetValue(option) is { Length: > 0 } value)
                {
                    filters.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            var items = new JsonArray();
            var cursor = parse.GetValue(after);
            string? next;
            do
            {
                var query = new List<string>(filters) { $"limit={parse.GetValue(limit)}" };
                if (cursor is not null)
                {
                    query.Add($"after={Uri.EscapeDataString(cursor)}");
                }

                var page = (await api.SendAsync(HttpMethod.Get, $"api/v1/jobs?{string.Join('&', query)}", cancellationToken: ct)).Body!;
                foreach (var item in page["items"]!.AsArray())
                {
                    items.Add(item!.DeepClone());
                }

                next = page["nextAfter"]?.GetValue<string>();
                cursor = next;
            }
            while (parse.GetValue(all) && next is not null);

            var format = parse.GetValue(wide) && context.Format(parse) == OutputFormat.Table ? OutputFormat.Wide : context.Format(parse);
            if (format == OutputFormat.Json)
            {
                output.WriteLine(new JsonObject { ["items"] = items, ["nextAfter"] = next }.ToJsonString(FedctlContext.Indented));
                return ExitCodes.Ok;
            }

            if (format == OutputFormat.Wide)
            {
                TableWriter.Write(output, WideHeaders, items.Select(j => (IReadOnlyList<string>)
                [
                    JobText.IdOf(j!), JobText.OrDash(j!["spec"]?["owner"]?["user"]), JobText.Text(j["state"]), JobText.OrDash(j["nation"]),
                    JobText.Text(j["epoch"]), JobText.Percent(j["progress"]), JobText.Time(j["submittedAt"]), JobText.OrDash(j["spec"]?["owner"]?["consortium"]),
                    $"{JobText.Text(j["spec"]?["workload"]?["name"])}@{JobText.Text(j["spec"]?["workload"]?["version"])}", JobText.Time(j["updatedAt"]), JobText.OrDash(j["stateReason"]),
                ]), maxCellWidth: int.MaxValue);
            }
            else
            {
                TableWriter.Write(output, ListHeaders, items.Select(j => (IReadOnlyList<string>)
                [
                    JobText.IdOf(j!), JobText.OrDash(j!["spec"]?["owner"]?["user"]), JobText.Text(j["state"]), JobText.OrDash(j["nation"]),
                    JobText.Text(j["epoch"]), JobText.Percent(j["progress"]), JobText.Time(j["submittedAt"]), TableWriter.Shorten(JobText.Text(j["stateReason"]), ReasonWidth),
                ]), maxCellWidth: int.MaxValue);
            }
            if (next is not null)
            {
                context.Error.WriteLine($"(more: --after {next}, or --all)");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Show(FedctlContext context)
    {
        var id = IdArgument();
        var command = new Command("show", "Show one job: its state and why, where and in which epoch it runs, and once finished its result, energy and emissions.") { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var record = await GetAsync(api, parse.GetValue(id)!, ct);
            if (context.Json(parse))
            {
                output.WriteLine(record.ToJsonString(FedctlContext.Indented));
                return ExitCodes.Ok;
            }

            var spec = record["spec"];
            var owner = JobText.Text(spec?["owner"]?["user"]);
            var consortium = JobText.Text(spec?["owner"]?["consortium"]);
            var inputs = spec?["inputs"]?.AsArray().Select(JobText.Text).ToList() ?? [];
            var pairs = new List<(string, string)>
            {
                ("job", JobText.Text(record["ref"])),
                ("owner", consortium.Length > 0 ? $"{owner} ({consortium})" : owner),
                ("workload", $"{JobText.Text(spec?["workload"]?["name"])}@{JobText.Text(spec?["workload"]?["version"])}"),
                ("inputs", inputs.Count == 0 ? "-" : string.Join(", ", inputs)),
                ("accelerators", JobText.Accelerators(spec?["accelerators"])),
                ("state", JobText.Text(record["state"])),
                ("reason", JobText.OrDash(record["stateReason"])),
                ("nation", JobText.OrDash(record["nation"])),
                ("epoch", JobText.Text(record["epoch"])),
                ("progress", JobText.Percent(record["progress"])),
            };
            if (JobText.Result(record["result"]) is { } result)
            {
                pairs.Add(("result", result));
            }

            if (JobText.Energy(record["result"]) is { } energy)
            {
                pairs.Add(("energy", energy));
            }

            if (JobText.Model(record["result"]) is { } model)
            {
                pairs.Add(("model", $"{model}; its card: fedctl models show {model.Split(' ')[0]} (in the nation that ran it)"));
            }

            pairs.Add(("submitted", JobText.Time(record["submittedAt"])));
            pairs.Add(("updated", JobText.Time(record["updatedAt"])));
            pairs.Add(("finished", JobText.Time(record["finishedAt"])));
            pairs.Add(("events", $"{JobText.Text(record["lastEvent"])} ('fedctl jobs watch {JobText.IdOf(record)}' prints them)"));
            WritePairs(output, pairs);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Explain(FedctlContext context)
    {
        var id = IdArgument();
        var command = new Command(
            "explain",
            "Why the job is pending, or why it runs where it does: its routing decision (every candidate nation, the rules that excluded it or its score) and every admission answer.")
        {
            id,
        };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var (jobId, nation) = JobText.ParseId(parse.GetValue(id)!);
            var explained = (await api.SendAsync(HttpMethod.Get, JobText.PathOf(jobId, "/decision"), cancellationToken: ct)).Body!;
            CheckOrigin(api, parse.GetValue(id)!, nation, explained["job"]);
            if (context.Json(parse))
            {
                output.WriteLine(explained.ToJsonString(FedctlContext.Indented));
                return ExitCodes.Ok;
            }

            var state = JobText.Text(explained["state"]);
            var where = explained["nation"] is { } there ? $" in {JobText.Text(there)}" : "";
            output.WriteLine($"job {JobText.Text(explained["job"])} is {state}{where} (epoch {JobText.Text(explained["epoch"])}): {JobText.OrDash(explained["stateReason"])}");
            if (JobText.Text(explained["model"]) is { Length: > 0 } model)
            {
                output.WriteLine($"model: {model}, registered{where} (fedctl models show {model})");
            }

            output.WriteLine();
            if (explained["decision"] is JsonObject decision)
            {
                output.WriteLine($"routing decision of {JobText.Time(decision["decidedAt"])}:");
                DecisionTable.Write(output, decision);
            }
            else
            {
                output.WriteLine("no routing decision yet: the job has not been planned");
            }

            output.WriteLine();
            var admissions = explained["admissions"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            if (admissions.Count == 0)
            {
                output.WriteLine("admissions: none yet (no nation has answered an offer of this job)");
                return ExitCodes.Ok;
            }

            output.WriteLine("admissions (oldest first):");
            TableWriter.Write(output, ["nation", "epoch", "answer", "lease_s", "reason"], admissions.Select(a => (IReadOnlyList<string>)
            [
                JobText.Text(a["nation"]), JobText.Text(a["epoch"]), a["admitted"]?.GetValue<bool>() == true ? "admitted" : "refused",
                a["admitted"]?.GetValue<bool>() == true ? JobText.OrDash(a["leaseSeconds"]) : "-", JobText.Text(a["reason"]),
            ]), maxCellWidth: int.MaxValue);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>The job record of what the user typed (an id, or a global id checked against the record).</summary>
    private static async Task<JsonNode> GetAsync(ApiClient api, string text, CancellationToken ct)
    {
        var (id, nation) = JobText.ParseId(text);
        var record = (await api.SendAsync(HttpMethod.Get, JobText.PathOf(id), cancellationToken: ct)).Body!;
        CheckOrigin(api, text, nation, record["ref"]);
        return record;
    }

    /// <summary>The id to use in paths; a global id (<c>FR/train-1</c>) is checked to name a job of this nation first.</summary>
    private static async Task<string> ResolveAsync(ApiClient api, string text, CancellationToken ct)
    {
        var (id, nation) = JobText.ParseId(text);
        if (nation is not null)
        {
            await GetAsync(api, text, ct);
        }

        return id;
    }

    private static void CheckOrigin(ApiClient api, string text, string? nation, JsonNode? reference)
    {
        var actual = JobText.Text(reference);
        if (nation is not null && !actual.StartsWith(nation + "/", StringComparison.OrdinalIgnoreCase))
        {
            throw new FedctlException(
                $"not found: the silo at {api.BaseAddress} holds the jobs submitted to {JobText.ParseId(actual).Nation ?? "its nation"}, and {text} was submitted to {nation}: ask that nation's silo (--url)",
                ExitCodes.NotFound);
        }
    }

    private static void WritePairs(TextWriter output, IReadOnlyList<(string Name, string Value)> pairs) => DetailView.WritePairs(output, pairs);
}
