using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Reference;

namespace Federation.Fedctl.Resources;

/// <summary>
/// Reads entries to register from a file: a JSON object, a JSON array of objects, or a CSV file
/// (header row; lists separated by ';'). '-' reads JSON from standard input.
/// </summary>
public static class InputFile
{
    private static readonly Dictionary<string, Dictionary<string, ColumnKind>> s_csvColumns = new(StringComparer.Ordinal)
    {
        ["datasets"] = new(StringComparer.Ordinal)
        {
            ["id"] = ColumnKind.Text, ["title"] = ColumnKind.Text, ["description"] = ColumnKind.Text, ["location"] = ColumnKind.Text,
            ["sizeBytes"] = ColumnKind.Number, ["recordCount"] = ColumnKind.Number, ["sha256"] = ColumnKind.Text, ["format"] = ColumnKind.Text,
            ["schemaSummary"] = ColumnKind.Text, ["licence"] = ColumnKind.Text, ["steward"] = ColumnKind.Text, ["tags"] = ColumnKind.List,
            ["visibility"] = ColumnKind.Text, ["residency"] = ColumnKind.Text, ["residencyNations"] = ColumnKind.List,
            ["permission"] = ColumnKind.Text, ["diseaseTerm"] = ColumnKind.Text, ["modifiers"] = ColumnKind.List,
        },
        ["nodes"] = new(StringComparer.Ordinal)
        {
            ["id"] = ColumnKind.Text, ["site"] = ColumnKind.Text, ["accelerator"] = ColumnKind.Text, ["count"] = ColumnKind.Number,
            ["memoryGb"] = ColumnKind.Number, ["leaseSeconds"] = ColumnKind.Number,
        },
        ["models"] = new(StringComparer.Ordinal)
        {
            ["name"] = ColumnKind.Text, ["version"] = ColumnKind.Text, ["sha256"] = ColumnKind.Text, ["format"] = ColumnKind.Text,
            ["sizeBytes"] = ColumnKind.Number, ["licence"] = ColumnKind.Text, ["baseModel"] = ColumnKind.Text, ["lineageDatasets"] = ColumnKind.List,
            ["producingJob"] = ColumnKind.Text, ["energyKwh"] = ColumnKind.Number, ["emissionsGco2e"] = ColumnKind.Number, ["description"] = ColumnKind.Text,
        },
    };

    private enum ColumnKind
    {
        Text,
        Number,
        List,
    }

    /// <summary>Reads <paramref name="path"/> for <paramref name="kind"/>; throws <see cref="FedctlException"/> naming the line or entry that is wrong.</summary>
    public static IReadOnlyList<InputEntry> Read(string path, ResourceKind kind, TextReader stdin)
    {
        string text;
        try
        {
            text = path == "-" ? stdin.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FedctlException($"cannot read {path}: {e.Message}", ExitCodes.Usage);
        }

        return path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(path, text, kind) : ReadJson(path, text);
    }

    private static List<InputEntry> ReadJson(string path, string text)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FedctlException($"{path} is not valid JSON: line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message.Split(" LineNumber", 2)[0]}", ExitCodes.Usage);
        }

        return root switch
        {
            JsonObject single => [new InputEntry(single, path)],
            JsonArray many => many.Select((item, i) => item is JsonObject o
                ? new InputEntry(o, $"{path} entry {i}")
                : throw new FedctlException($"{path} entry {i} is not a JSON object", ExitCodes.Usage)).ToList(),
            _ => throw new FedctlException($"{path} must hold a JSON object or an array of objects", ExitCodes.Usage),
        };
    }

    private static List<InputEntry> ReadCsv(string path, string text, ResourceKind kind)
    {
        var columns = s_csvColumns[kind.Plural];
        var rows = Csv.Read(new StringReader(text));
        if (rows.Count == 0)
        {
            throw new FedctlException($"{path} has no rows under its header", ExitCodes.Usage);
        }

        var unknown = rows[0].Keys.Where(k => !columns.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new FedctlException($"{path}: unknown column(s) {string.Join(", ", unknown)}; {kind.Plural} CSV columns are {string.Join(", ", columns.Keys)}", ExitCodes.Usage);
        }

        var entries = new List<InputEntry>();
        for (var i = 0; i < rows.Count; i++)
        {
            var where = $"{path} line {i + 2}";
            var flat = new JsonObject();
            foreach (var (name, value) in rows[i])
            {
                if (value.Length == 0)
                {
                    continue;
                }

                flat[name] = columns[name] switch
                {
                    ColumnKind.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                        ? (number == Math.Floor(number) && Math.Abs(number) < 9e15 ? JsonValue.Create((long)number) : JsonValue.Create(number))
                        : throw new FedctlException($"{where}: column {name} must be a number, got '{value}'", ExitCodes.Usage),
                    ColumnKind.List => new JsonArray([.. value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)JsonValue.Create(v))]),
                    _ => JsonValue.Create(value),
                };
            }

            entries.Add(new InputEntry(kind.Plural switch
            {
                "datasets" => NestDataset(flat),
                "models" => NestModel(flat),
                _ => flat,
            }, where));
        }

        return entries;
    }

    private static JsonObject NestDataset(JsonObject flat)
    {
        var body = new JsonObject();
        var residency = new JsonObject();
        var dataUse = new JsonObject();
        foreach (var (name, value) in flat.ToList())
        {
            flat.Remove(name);
            switch (name)
            {
                case "residency":
                    residency["kind"] = value;
                    break;
                case "residencyNations":
                    residency["nations"] = value;
                    break;
                case "permission" or "diseaseTerm" or "modifiers":
                    dataUse[name] = value;
                    break;
                default:
                    body[name] = value;
                    break;
            }
        }

        if (residency.Count > 0)
        {
            body["residency"] = residency;
        }

        if (dataUse.Count > 0)
        {
            body["dataUse"] = dataUse;
        }

        return body;
    }

    private static JsonObject NestModel(JsonObject flat)
    {
        var body = new JsonObject();
        var lineage = new JsonObject();
        foreach (var (name, value) in flat.ToList())
        {
            flat.Remove(name);
            switch (name)
            {
                case "lineageDatasets":
                    lineage["datasets"] = value;
                    break;
                case "producingJob":
                    lineage["producingJob"] = value;
                    break;
                default:
                    body[name] = value;
                    break;
            }
        }

        if (lineage.Count > 0)
        {
            body["lineage"] = lineage;
        }

        return body;
    }
}
