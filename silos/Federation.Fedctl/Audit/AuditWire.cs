using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Transparency;

namespace Federation.Fedctl.Audit;

/// <summary>Reads the audit API's JSON into the transparency library's types, so that fedctl checks on its own side.</summary>
public static class AuditWire
{
    private const int Page = 1000;

    /// <summary>A stored row from an entry of <c>GET /api/v1/audit/entries</c>.</summary>
    public static LoggedEntry Row(JsonNode entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new LoggedEntry(entry["index"]!.GetValue<long>(), Convert.FromBase64String(entry["entry"]!.GetValue<string>()), Convert.FromBase64String(entry["leafHash"]!.GetValue<string>()));
    }

    /// <summary>A signed head from its JSON.</summary>
    public static SignedTreeHead Head(JsonNode head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new SignedTreeHead(
            new TreeHead(head["nation"]!.GetValue<string>(), head["treeSize"]!.GetValue<long>(), Convert.FromBase64String(head["rootHash"]!.GetValue<string>()), head["timestamp"]!.GetValue<DateTimeOffset>()),
            head["signerKey"]!.GetValue<string>(),
            head["signature"]!.GetValue<string>());
    }

    /// <summary>Every row of the log, in the order the nation serves them.</summary>
    public static async Task<List<LoggedEntry>> AllRowsAsync(ApiClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var rows = new List<LoggedEntry>();
        long? from = 0;
        while (from is { } start)
        {
            var page = (await api.SendAsync(HttpMethod.Get, $"api/v1/audit/entries?from={start}&limit={Page}", cancellationToken: cancellationToken)).Body as JsonObject
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /api/v1/audit/entries without a JSON page", ExitCodes.WrongEndpoint);
            rows.AddRange(page["items"]!.AsArray().Select(e => Row(e!)));
            from = page["next"]?.GetValue<long>();
        }

        return rows;
    }

    /// <summary>Every signed head, oldest first.</summary>
    public static async Task<List<SignedTreeHead>> AllHeadsAsync(ApiClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var heads = new List<SignedTreeHead>();
        var from = 0L;
        while (true)
        {
            var page = (await api.SendAsync(HttpMethod.Get, $"api/v1/audit/heads?from={from}&limit={Page}", cancellationToken: cancellationToken)).Body as JsonArray
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /api/v1/audit/heads without a JSON list", ExitCodes.WrongEndpoint);
            var fresh = page.Select(h => Head(h!)).Where(h => !heads.Any(k => k.Head.Size == h.Head.Size && k.Head.Time == h.Head.Time)).ToList();
            heads.AddRange(fresh);
            if (page.Count < Page || fresh.Count == 0)
            {
                return heads;
            }

            from = heads[^1].Head.Size;
        }
    }

    /// <summary>The roster pin of a head's signer key.</summary>
    public static string SignerPin(SignedTreeHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(head.SignerKey)));
    }
}
