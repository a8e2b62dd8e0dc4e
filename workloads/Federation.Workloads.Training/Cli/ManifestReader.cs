using System.Text.Json;
using System.Text.Json.Nodes;

namespace Federation.Workloads.Training.Cli;

/// <summary>
/// Builds a verb's <see cref="WorkloadManifest"/> from, in order: the manifest file (<c>--manifest</c>),
/// or, without one, the executor's environment (<c>FEDERATION_INPUTS</c>, <c>FEDERATION_OUTPUTS</c>);
/// then every <c>--field=value</c> argument, which overrides the field of the same name.
/// </summary>
public static class ManifestReader
{
    private static readonly HashSet<string> _listFields = new(StringComparer.Ordinal) { "data", "weights" };
    private static readonly HashSet<string> _textFields = new(StringComparer.Ordinal) { "nation", "name", "initialWeights", "model", "outputDirectory" };

    /// <summary>The manifest and the folder its relative paths are relative to.</summary>
    public static (WorkloadManifest Manifest, string BaseDirectory) Read(
        string? manifestPath, IReadOnlyDictionary<string, string> overrides, Func<string, string?> environment)
    {
        JsonObject json;
        string baseDirectory;
        if (manifestPath is not null)
        {
            if (!File.Exists(manifestPath))
            {
                throw new WorkloadInputException("--manifest", $"no such file: {manifestPath}");
            }

            try
            {
                json = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject
                    ?? throw new WorkloadInputException("--manifest", $"{manifestPath} is not a JSON object");
            }
            catch (JsonException e)
            {
                throw new WorkloadInputException("--manifest", $"{manifestPath} is not valid JSON: {e.Message}");
            }

            baseDirectory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        }
        else
        {
            json = FromEnvironment(environment);
            baseDirectory = Directory.GetCurrentDirectory();
        }

        foreach (var (name, value) in overrides)
        {
            json[name] = _listFields.Contains(name)
                ? new JsonArray([.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode?)JsonValue.Create(v))])
                : _textFields.Contains(name) ? JsonValue.Create(value) : ParseScalar(value);
        }

        try
        {
            var manifest = json.Deserialize<WorkloadManifest>(WorkloadJson.StrictOptions)
                ?? throw new WorkloadInputException("manifest", "is null");
            return (manifest, baseDirectory);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "manifest" : e.Path.TrimStart('$', '.');
            var message = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "is not a manifest field (docs/workloads.md lists them)"
                : e.Message;
            throw new WorkloadInputException(field, message);
        }
    }

    private static JsonObject FromEnvironment(Func<string, string?> environment)
    {
        var json = new JsonObject();
        if (environment("FEDERATION_OUTPUTS") is { Length: > 0 } outputs)
        {
            json["outputDirectory"] = outputs;
        }

        if (environment("FEDERATION_INPUTS") is { Length: > 0 } inputs && Directory.Exists(inputs))
        {
            var files = Directory.GetFiles(inputs).Order(StringComparer.Ordinal).ToList();
            var weights = files.Where(f => f.EndsWith(".f32", StringComparison.Ordinal)).ToList();
            json["data"] = new JsonArray([.. files.Where(f => !f.EndsWith(".f32", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal)).Select(f => (JsonNode?)JsonValue.Create(f))]);
            json["weights"] = new JsonArray([.. weights.Select(f => (JsonNode?)JsonValue.Create(f))]);
            if (weights.Count == 1)
            {
                json["initialWeights"] = weights[0];
                json["model"] = weights[0];
            }
        }

        return json;
    }

    private static JsonValue? ParseScalar(string value)
    {
        try
        {
            return JsonNode.Parse(value) is JsonValue parsed ? parsed : JsonValue.Create(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }
}
