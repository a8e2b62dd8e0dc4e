using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Json;

namespace Federation.Fedctl.Agent;

/// <summary>How the node agent reads a silo's replies (outcome, problem detail, node record) and words its lines.</summary>
public sealed partial class NodeAgent
{
    private static Outcome Classify(Reply reply) => reply switch
    {
        { Failure: not null } => Outcome.Transient,
        { Status: HttpStatusCode.OK or HttpStatusCode.Created } => Outcome.Done,
        { Status: HttpStatusCode.Unauthorized } => Outcome.TokenRejected,
        { Status: HttpStatusCode.Forbidden } => Outcome.Forbidden,
        { Status: HttpStatusCode.NotFound } => Outcome.NotFound,
        { Status: HttpStatusCode.Conflict } => Outcome.Conflict,
        { Status: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests } => Outcome.Transient,
        { Status: >= HttpStatusCode.InternalServerError } => Outcome.Transient,
        _ => Outcome.Refused,
    };

    private string TokenRejected(Reply reply, string what) => _options.Token is null
        ? $"this nation needs a token (HTTP {(int)reply.Status!}: {Detail(reply)}); pass the node's token from Federation:Auth:NodeTokens:{_options.NodeId} or an operator token with --token or FEDCTL_TOKEN (only an open, embedded nation takes none)"
        : $"token rejected: {what} (HTTP {(int)reply.Status!}: {Detail(reply)}); use the node's token from Federation:Auth:NodeTokens:{_options.NodeId} or an operator token";

    private static string TransientReason(Reply reply) =>
        reply.Failure ?? $"HTTP {(int)reply.Status!} {reply.ReasonPhrase ?? reply.Status.ToString()}: {Detail(reply)}";

    private static string Detail(Reply reply)
    {
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "detail", "title" })
                {
                    if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                    {
                        return text;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's page, say): show the start of it.
        }

        return Shorten(reply.Body);
    }

    private static GpuNodeRecord? ReadRecord(Reply reply)
    {
        try
        {
            return JsonSerializer.Deserialize<GpuNodeRecord>(reply.Body, FederationJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(GpuNodeRecord? record) => record is null
        ? "no readable body"
        : string.Create(CultureInfo.InvariantCulture, $"version {record.Version}, {record.Spec.Count} x {record.Spec.Accelerator}, power {record.PowerDrawWatts:0.#} W {Name(record.PowerSource)}");

    private static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonSerializer.Serialize(value, FederationJson.Options).Trim('"');

    private static string Shorten(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length == 0 ? "(empty body)" : flat.Length <= 200 ? flat : string.Concat(flat.AsSpan(0, 200), "...");
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static void Say(TextWriter output, string line) =>
        output.WriteLine($"{Output.Timestamp.Format(DateTimeOffset.UtcNow)} {line}");

    private static Uri ApiBase(Uri url)
    {
        var text = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(text.EndsWith("/api/v1", StringComparison.OrdinalIgnoreCase) ? text + "/" : text + "/api/v1/");
    }

    private enum Outcome
    {
        Done,
        Transient,
        TokenRejected,
        Forbidden,
        NotFound,
        Conflict,
        Refused,
    }

    private sealed record Reply(HttpStatusCode? Status, string? ReasonPhrase, string Body, EntityTagHeaderValue? ETag, string? Failure)
    {
        public static Reply Failed(string reason) => new(null, null, "", null, reason);
    }

    private sealed record NodeBody(string Id, string Site, string Accelerator, int Count, double? MemoryGb, double LeaseSeconds);

    private sealed record HeartbeatBody(double? PowerDrawWatts);

    private sealed record DrainBody(bool Draining);
}
