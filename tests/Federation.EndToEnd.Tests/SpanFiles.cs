using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Reads the span files of DE (origin) and FR (executing nation) and finds one job's whole path in one
/// trace: DE's user request and routing, DE's offer sent, FR receiving it, FR's reports sent, DE receiving them.
/// </summary>
internal static class SpanFiles
{
    private const string JobTag = "federation.job";

    /// <summary>Waits (spans are exported every 500 ms) until both files show <paramref name="job"/>'s path as one trace, and checks it.</summary>
    public static async Task AssertOneTraceAsync(string directory, string job)
    {
        var de = Path.Combine(directory, "de.jsonl");
        var fr = Path.Combine(directory, "fr.jsonl");
        string? trace = null;
        await Eventually.WaitAsync(
            async () =>
            {
                var origin = await ReadAsync(de);
                trace = origin.FirstOrDefault(s => Name(s) == "route" && Tag(s, JobTag) == job)?["traceId"]?.GetValue<string>();
                var executing = await ReadAsync(fr);
                return trace is not null
                    && executing.Any(s => Trace(s) == trace && Name(s) == "send report")
                    && origin.Any(s => Trace(s) == trace && Kind(s) is "server" or "consumer" && Received(s, "reports"));
            },
            found => found,
            TimeSpan.FromSeconds(30),
            $"spans of {job} in {de} and {fr}: DE's routing span, and in its trace FR's report sends and DE receiving them");

        var deSpans = (await ReadAsync(de)).Where(s => Trace(s) == trace).ToList();
        var frSpans = (await ReadAsync(fr)).Where(s => Trace(s) == trace).ToList();
        var path = string.Join(" | ", deSpans.Concat(frSpans).OrderBy(s => s["start"]!.GetValue<string>(), StringComparer.Ordinal).Select(s => $"{s["nation"]} {Kind(s)} {Name(s)}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"trace {trace}: {path}");

        // DE: the user's request that submitted the job, its routing, the offer sent to FR.
        Assert.Contains(deSpans, s => Kind(s) == "server" && Tag(s, "url.path") == "/api/v1/jobs");
        Assert.Contains(deSpans, s => Name(s) == "send offer" && Tag(s, JobTag) == job && Tag(s, "federation.peer") == "FR");

        // FR: the offer received (alone, by its traceparent header, or as a batch entry) and its reports sent to DE.
        Assert.Contains(frSpans, s => Kind(s) is "server" or "consumer" && Received(s, "offers"));
        Assert.Contains(frSpans, s => Name(s) == "send report" && Tag(s, JobTag) == job && Tag(s, "federation.peer") == "DE");
    }

    private static bool Received(JsonObject span, string route) =>
        Tag(span, "url.path") == $"/federation/v1/jobs/{route}"
        || Name(span) == $"receive {route.TrimEnd('s')}";

    private static string? Trace(JsonObject span) => span["traceId"]?.GetValue<string>();

    private static string? Name(JsonObject span) => span["name"]?.GetValue<string>();

    private static string? Kind(JsonObject span) => span["kind"]?.GetValue<string>();

    private static string? Tag(JsonObject span, string key) => span["tags"]?[key]?.GetValue<string>();

    private static async Task<List<JsonObject>> ReadAsync(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);

        // The last line may be half written while the exporter flushes.
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(TryParse).OfType<JsonObject>()];
    }

    private static JsonObject? TryParse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
