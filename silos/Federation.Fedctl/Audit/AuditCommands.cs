using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;
using Federation.Transparency;

namespace Federation.Fedctl.Audit;

/// <summary>
/// <c>fedctl audit show|verify|prove</c>: the nation's transparency log for auditors. <c>verify</c> and
/// <c>prove</c> recompute everything on this side from the stored bytes and the signed heads; the
/// nation is not trusted to check itself.
/// </summary>
public static class AuditCommands
{
    /// <summary>The columns of <c>audit show</c>.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["index", "time", "kind", "job", "dataset", "peer", "rule", "detail"];

    /// <summary>The <c>audit</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var audit = new Command("audit", "The nation's transparency log: list entries, verify the whole log against its signed heads, prove an entry's inclusion.");
        audit.Subcommands.Add(Show(context));
        audit.Subcommands.Add(Verify(context));
        audit.Subcommands.Add(Prove(context));
        audit.Subcommands.Add(PeerAuditCommands.Peers(context));
        return audit;
    }

    private static Command Show(FedctlContext context)
    {
        var job = new Option<string>("--job") { Description = "only entries about this job (ORIGIN/id)" };
        var dataset = new Option<string>("--dataset") { Description = "only entries about this dataset" };
        var peer = new Option<string>("--peer") { Description = "only entries involving this peer nation" };
        var kind = new Option<string>("--kind") { Description = $"only entries of this kind: {string.Join(", ", TransparencyEntryKinds.All)}" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "only entries at or after this time (ISO 8601)" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "only entries before this time (ISO 8601)" };
        var from = new Option<long?>("--from") { Description = "the first index to list" };
        var limit = new Option<int?>("--limit") { Description = "most entries (1 to 1000, default 100)" };
        var show = new Command("show", "List entries of the log, filtered by job, dataset, peer, kind and time.") { job, dataset, peer, kind, since, until, from, limit };
        show.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var query = new List<string>();
            void Add(string name, string? value)
            {
                if (value is not null)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            Add("job", parse.GetValue(job));
            Add("dataset", parse.GetValue(dataset));
            Add("peer", parse.GetValue(peer));
            Add("kind", parse.GetValue(kind));
            Add("since", parse.GetValue(since)?.ToString("O", CultureInfo.InvariantCulture));
            Add("until", parse.GetValue(until)?.ToString("O", CultureInfo.InvariantCulture));
            Add("from", parse.GetValue(from)?.ToString(CultureInfo.InvariantCulture));
            Add("limit", parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
            var path = "api/v1/audit/entries" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
            var page = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).Body as JsonObject
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /{path} without a JSON page", ExitCodes.WrongEndpoint);
            if (context.Json(parse))
            {
                context.WriteJson(page);
                return ExitCodes.Ok;
            }

            var items = page["items"]!.AsArray().OfType<JsonObject>().ToList();
            TableWriter.Write(output, Headers, items.Select(Row), maxCellWidth: context.Format(parse) == OutputFormat.Wide ? int.MaxValue : 48);
            if (page["next"] is { } next)
            {
                context.Error.WriteLine($"more entries: --from {next}");
            }

            return ExitCodes.Ok;
        }, ct));
        return show;
    }

    private static Command Verify(FedctlContext context)
    {
        var pins = new Option<string[]>("--pin") { Description = "the nation's roster pin(s) the heads must be signed with (else the key of the first head, trusted on first use)", AllowMultipleArgumentsPerToken = true };
        var verify = new Command("verify", "Check the whole log against the nation's signed heads on this side: every entry in place, unedited, and every head's root recomputed. Exits non-zero naming the first bad entry.") { pins };
        verify.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var rows = await AuditWire.AllRowsAsync(api, ct);
            var heads = await AuditWire.AllHeadsAsync(api, ct);
            var given = parse.GetValue(pins) ?? [];
            var trusted = given.Length > 0 ? given : heads.Count > 0 ? [AuditWire.SignerPin(heads[0])] : [];
            var nation = heads.Count > 0 ? heads[0].Head.Nation : "(no signed head yet)";
            var report = LogAuditor.Verify(nation, rows, heads, trusted);
            if (context.Json(parse))
            {
                context.WriteJson(new JsonObject
                {
                    ["sound"] = report.Sound,
                    ["nation"] = nation,
                    ["entries"] = report.Entries,
                    ["heads"] = report.Heads,
                    ["firstBadEntry"] = report.FirstBadEntry,
                    ["problem"] = report.Problem,
                    ["pins"] = new JsonArray([.. trusted.Select(p => (JsonNode)p)]),
                });
            }
            else if (report.Sound)
            {
                output.WriteLine($"sound: {nation}'s log, {report.Entries} entries, {report.Heads} signed heads checked (pin {string.Join(", ", trusted)}{(given.Length == 0 ? ", trusted on first use: pass --pin with the roster pin" : "")})");
                if (heads.Count > 0 && heads[^1].Head.Size < report.Entries)
                {
                    output.WriteLine($"entries {heads[^1].Head.Size} to {report.Entries - 1} are not covered by a signed head yet");
                }
            }

            if (!report.Sound)
            {
                var where = report.FirstBadEntry is { } bad ? $"first bad entry {bad}: " : "";
                context.Error.WriteLine($"TAMPERED: {where}{report.Problem}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Ok;
        }, ct));
        return verify;
    }

    private static Command Prove(FedctlContext context)
    {
        var index = new Argument<long>("entry") { Description = "the entry's index" };
        var size = new Option<long?>("--size") { Description = "the tree size to prove against (default: the latest signed head)" };
        var pins = new Option<string[]>("--pin") { Description = "the nation's roster pin(s) the head must be signed with (else the head's own key)", AllowMultipleArgumentsPerToken = true };
        var nation = new Option<string>("--nation") { Description = "prove an entry of this peer's log: the connected nation fetches the peer's proof and signed head over the federation API and checks them against the peer's roster pins; fedctl checks them again here (against --pin when given, else the pins the connected nation's roster names)" };
        var prove = new Command("prove", "Fetch an inclusion proof for an entry and check it on this side against the nation's signed head (or a peer's, with --nation).") { index, size, pins, nation };
        prove.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var at = parse.GetValue(index);
            var peer = parse.GetValue(nation);
            var given = parse.GetValue(pins) ?? [];
            var sizeQuery = parse.GetValue(size) is { } s ? $"&size={s}" : "";
            var path = peer is null
                ? $"api/v1/audit/proofs/inclusion?index={at}{sizeQuery}"
                : $"api/v1/audit/peers/{Uri.EscapeDataString(peer)}/prove?index={at}{sizeQuery}";
            var body = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).Body as JsonObject
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /{path} without a JSON object", ExitCodes.WrongEndpoint);
            var answer = peer is null ? body : body["proof"] as JsonObject
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /{path} without a proof", ExitCodes.WrongEndpoint);
            string[] trusted = peer is null || given.Length > 0 ? given : [.. body["pins"]!.AsArray().Select(p => p!.GetValue<string>())];
            var problem = Check(answer, trusted, out var head);
            if (problem is null && peer is not null && head is not null && head.Head.Nation != peer)
            {
                problem = $"the head names nation {head.Head.Nation}, not {peer}";
            }
            if (context.Json(parse))
            {
                answer["verified"] = problem is null;
                answer["problem"] = problem;
                context.WriteJson(answer);
            }
            else
            {
                var entry = answer["entry"]!;
                DetailView.WritePairs(output,
                [
                    ("entry", $"{at}: {JobText.Text(entry["kind"])} {JobText.Text(entry["job"])} {JobText.Text(entry["rule"])}".TrimEnd()),
                    ("tree size", JobText.Text(answer["treeSize"])),
                    ("leaf hash", Convert.ToHexStringLower(Convert.FromBase64String(entry["leafHash"]!.GetValue<string>()))),
                    ("audit path", string.Join(' ', answer["auditPath"]!.AsArray().Select(p => Convert.ToHexStringLower(Convert.FromBase64String(p!.GetValue<string>()))))),
                    ("signed head", head is null ? "(none of this size)" : $"{head.Head.Nation} size {head.Head.Size} root {head.Head.RootHex} at {head.Head.Time:O}"),
                ]);
                if (problem is null)
                {
                    output.WriteLine($"verified: entry {at} is in {head!.Head.Nation}'s log as signed at size {head.Head.Size} (pin {AuditWire.SignerPin(head)})");
                }
            }

            if (problem is not null)
            {
                context.Error.WriteLine($"NOT PROVEN: {problem}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Ok;
        }, ct));
        return prove;
    }

    // Null when the answer's proof leads from the entry's own bytes to the root of a head signed by one of the pins.
    private static string? Check(JsonObject answer, string[] pins, out SignedTreeHead? head)
    {
        head = answer["head"] is JsonObject h ? AuditWire.Head(h) : null;
        if (head is null)
        {
            return "the nation has signed no head of that size: nothing to prove against";
        }

        string[] trusted = pins.Length > 0 ? pins : [AuditWire.SignerPin(head)];
        if (TreeHeadSignature.Verify(head, trusted) is { } bad)
        {
            return bad;
        }

        var row = AuditWire.Row(answer["entry"]!);
        var path = answer["auditPath"]!.AsArray().Select(p => Convert.FromBase64String(p!.GetValue<string>())).ToList();
        return MerkleProofs.VerifyInclusion(row.Index, head.Head.Size, MerkleHash.Leaf(row.Bytes), path, head.Head.Root);
    }

    private static string[] Row(JsonObject e)
    {
        var detail = e["detail"] as JsonObject;
        return
        [
            JobText.Text(e["index"]),
            JobText.Text(e["time"]),
            e["problem"] is null ? JobText.Text(e["kind"]) : "UNREADABLE",
            JobText.Text(e["job"]),
            JobText.Text(e["dataset"]),
            JobText.Text(e["peer"]),
            JobText.Text(e["rule"]),
            detail is null ? "" : string.Join(' ', detail.Select(d => $"{d.Key}={JobText.Text(d.Value)}")),
        ];
    }
}
