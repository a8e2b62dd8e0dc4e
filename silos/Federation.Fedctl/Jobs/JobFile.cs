using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;

namespace Federation.Fedctl.Jobs;

/// <summary>A job spec file as <c>fedctl plan</c> and <c>fedctl jobs submit</c> read it.</summary>
public static class JobFile
{
    /// <summary>
    /// Reads one job as a JSON object (comments and trailing commas allowed; '-' reads
    /// <paramref name="stdin"/>); throws <see cref="FedctlException"/> with <see cref="ExitCodes.Usage"/>
    /// saying what is wrong and where.
    /// </summary>
    public static JsonObject Read(string path, TextReader stdin)
    {
        string text;
        try
        {
            text = path == "-" ? stdin.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FedctlException($"cannot read the job file {path}: {e.Message}", ExitCodes.Usage);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FedctlException($"{path} is not valid JSON: line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message.Split(" LineNumber", 2)[0]}", ExitCodes.Usage);
        }

        return root as JsonObject
            ?? throw new FedctlException($"{path} must hold one job as a JSON object ({{\"id\": ..., \"inputs\": [...], \"workload\": {{...}}, ...}}), not {Describe(root)}", ExitCodes.Usage);
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
    };
}
