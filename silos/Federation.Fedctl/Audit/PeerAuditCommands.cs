using System.CommandLine;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;

namespace Federation.Fedctl.Audit;

/// <summary><c>fedctl audit peers</c>: the consistency of the signed heads the connected nation kept for each peer.</summary>
public static class PeerAuditCommands
{
    /// <summary>The columns of <c>audit peers</c>.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["nation", "status", "size", "root", "heads kept", "checked", "evidence"];

    private static readonly string[] s_consistent = ["consistent", "unchecked"];

    /// <summary>The <c>audit peers</c> command: exits 1 when any peer's log is flagged.</summary>
    public static Command Peers(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peers = new Command("peers", "The signed heads this nation fetched from each peer and checked (signature against the roster pin, consistency proof from the head kept before). Exits 1 when a peer's log is flagged inconsistent, truncated or badly signed; both heads are shown as evidence.");
        peers.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            const string path = "api/v1/audit/peers";
            var list = (await api.SendAsync(HttpMethod.Get, path, cancellationToken: ct)).Body as JsonArray
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /{path} without a JSON list", ExitCodes.WrongEndpoint);
            var items = list.OfType<JsonObject>().ToList();
            var flagged = items.Where(p => !s_consistent.Contains(JobText.Text(p["status"]), StringComparer.Ordinal)).ToList();
            if (context.Json(parse))
            {
                context.WriteJson(list);
            }
            else
            {
                TableWriter.Write(output, Headers, items.Select(Row), maxCellWidth: context.Format(parse) == OutputFormat.Wide ? int.MaxValue : 48);
                foreach (var peer in flagged)
                {
                    var evidence = peer["evidence"]!;
                    context.Error.WriteLine($"FLAGGED: {JobText.Text(peer["nation"])} {JobText.Text(peer["status"])}: {JobText.Text(evidence["reason"])}");
                    context.Error.WriteLine($"  kept:      {Head(evidence["kept"])}");
                    context.Error.WriteLine($"  offending: {Head(evidence["offending"])}");
                }
            }

            return flagged.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }, ct));
        return peers;
    }

    private static string Head(JsonNode? head) => head is null
        ? "(none)"
        : $"size {JobText.Text(head["treeSize"])} root {Hex(head["rootHash"])} at {JobText.Text(head["timestamp"])}";

    private static string Hex(JsonNode? base64) => base64 is null ? "" : Convert.ToHexStringLower(Convert.FromBase64String(base64.GetValue<string>()));

    private static string[] Row(JsonObject p) =>
    [
        JobText.Text(p["nation"]),
        JobText.Text(p["status"]),
        JobText.Text(p["latest"]?["treeSize"]),
        Hex(p["latest"]?["rootHash"]) is { Length: > 16 } root ? root[..16] : "",
        JobText.Text(p["headsKept"]),
        JobText.Text(p["checkedAt"]),
        p["evidence"] is { } e ? $"{JobText.Text(e["reason"])}" : "",
    ];
}
