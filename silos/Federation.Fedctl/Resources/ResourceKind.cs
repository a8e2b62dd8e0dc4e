using System.Globalization;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Resources;

/// <summary>What fedctl needs to know about one kind of catalogue entry.</summary>
/// <param name="Plural">Command and collection name, e.g. <c>datasets</c>.</param>
/// <param name="Singular">Human name, e.g. <c>dataset</c>.</param>
/// <param name="Collection">API path of the collection.</param>
/// <param name="IdHelp">How an id is written.</param>
/// <param name="ItemPath">API path of one entry from its id.</param>
/// <param name="IdOf">The id of an entry in a request body.</param>
/// <param name="Headers">Table columns.</param>
/// <param name="Row">Table cells of an entry as the API returns it.</param>
/// <param name="Filters">List query parameters offered as options.</param>
/// <param name="CanWithdraw">Whether the API has a withdraw action (else withdraw means delete).</param>
public sealed record ResourceKind(
    string Plural,
    string Singular,
    string Collection,
    string IdHelp,
    Func<string, string> ItemPath,
    Func<JsonObject, string?> IdOf,
    string[] Headers,
    Func<JsonNode, string[]> Row,
    string[] Filters,
    bool CanWithdraw)
{
    /// <summary>Datasets.</summary>
    public static ResourceKind Datasets { get; } = new(
        "datasets", "dataset", "api/v1/datasets", "dataset id, such as cancer-registry",
        id => $"api/v1/datasets/{Uri.EscapeDataString(id)}",
        body => Text(body["id"]),
        ["id", "title", "size", "licence", "residency", "data use", "status", "version"],
        d => [Text(d["spec"]?["id"]), Text(d["spec"]?["title"]), Bytes(d["spec"]?["sizeBytes"]), Text(d["spec"]?["licence"]),
              Residency(d["spec"]?["residency"]), DataUse(d["spec"]?["dataUse"]), Text(d["status"]), Text(d["version"])],
        ["text", "tag", "licence"],
        CanWithdraw: true)
    {
        WideHeaders = ["format", "records", "steward", "tags", "visibility", "sha256", "updated"],
        WideRow = d => [Text(d["spec"]?["format"]), Text(d["spec"]?["recordCount"]), Text(d["spec"]?["steward"]),
              string.Join(",", d["spec"]?["tags"]?.AsArray().Select(Text) ?? []), Text(d["spec"]?["visibility"]), Text(d["spec"]?["sha256"]),
              Output.Timestamp.Format(d["updatedAt"])],
    };

    /// <summary>GPU nodes.</summary>
    public static ResourceKind Nodes { get; } = new(
        "nodes", "node", "api/v1/nodes", "node id, such as gpu-paris-01",
        id => $"api/v1/nodes/{Uri.EscapeDataString(id)}",
        body => Text(body["id"]),
        ["id", "site", "accelerator", "count", "free", "state", "power", "last heartbeat", "version"],
        n => [Text(n["spec"]?["id"]), Text(n["spec"]?["site"]), Text(n["spec"]?["accelerator"]), Text(n["spec"]?["count"]), Text(n["freeAccelerators"]),
              Text(n["state"]), Power(n), Output.Timestamp.Format(n["lastHeartbeat"]), Text(n["version"])],
        ["text", "accelerator", "state"],
        CanWithdraw: false)
    {
        WideHeaders = ["memory_gb", "lease until", "allocations", "status", "reason"],
        WideRow = n => [Text(n["spec"]?["memoryGb"]), Output.Timestamp.Format(n["leaseExpiresAt"]), (n["allocations"]?.AsArray().Count ?? 0).ToString(CultureInfo.InvariantCulture),
              Text(n["status"]), Text(n["stateReason"])],
    };

    /// <summary>Model artifacts.</summary>
    public static ResourceKind Models { get; } = new(
        "models", "model", "api/v1/models", "name@version, such as speech-lm@1.0.0",
        id => ModelPath(id),
        body => body["name"] is null || body["version"] is null ? null : $"{Text(body["name"])}@{Text(body["version"])}",
        ["model", "format", "size", "licence", "lineage", "kwh", "gco2e", "status", "version"],
        m => [$"{Text(m["spec"]?["ref"])}", Text(m["spec"]?["format"]), Bytes(m["spec"]?["sizeBytes"]), Text(m["spec"]?["licence"]),
              string.Join(",", m["spec"]?["lineage"]?["datasets"]?.AsArray().Select(Text) ?? []), Text(m["spec"]?["energyKwh"]),
              Text(m["spec"]?["emissionsGco2e"]), Text(m["status"]), Text(m["version"])],
        ["text", "name", "licence"],
        CanWithdraw: true)
    {
        WideHeaders = ["home", "base model", "producing job", "sha256", "updated"],
        WideRow = m => [Text(m["homeNation"]), Text(m["spec"]?["baseModel"]), Text(m["spec"]?["lineage"]?["producingJob"]), Text(m["spec"]?["sha256"]),
              Output.Timestamp.Format(m["updatedAt"])],
    };

    /// <summary>The columns <c>-o wide</c> adds to <see cref="Headers"/>.</summary>
    public string[] WideHeaders { get; init; } = [];

    /// <summary>The cells of <see cref="WideHeaders"/> for an entry.</summary>
    public Func<JsonNode, string[]> WideRow { get; init; } = _ => [];

    /// <summary>All kinds.</summary>
    public static IReadOnlyList<ResourceKind> All { get; } = [Datasets, Nodes, Models];

    private static string ModelPath(string id)
    {
        var at = id.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == id.Length - 1)
        {
            throw new Connection.FedctlException($"'{id}' is not a model reference: write name@version, such as speech-lm@1.0.0", ExitCodes.Usage);
        }

        return $"api/v1/models/{Uri.EscapeDataString(id[..at])}/versions/{Uri.EscapeDataString(id[(at + 1)..])}";
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.###", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    private static string Bytes(JsonNode? node)
    {
        if (node is not JsonValue v || !v.TryGetValue<double>(out var bytes))
        {
            return "";
        }

        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return $"{bytes.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    private static string Residency(JsonNode? residency)
    {
        var kind = Text(residency?["kind"]);
        var nations = residency?["nations"]?.AsArray().Select(Text).ToList() ?? [];
        return nations.Count == 0 ? kind : $"{kind}:{string.Join(";", nations)}";
    }

    private static string DataUse(JsonNode? use)
    {
        var modifiers = use?["modifiers"]?.AsArray().Select(Text).ToList() ?? [];
        return modifiers.Count == 0 ? Text(use?["permission"]) : $"{Text(use?["permission"])}+{string.Join("+", modifiers)}";
    }

    private static string Power(JsonNode node)
    {
        var watts = Text(node["powerDrawWatts"]);
        return Text(node["powerSource"]) == "measured" ? $"{watts} W" : $"~{watts} W (tdp)";
    }
}
