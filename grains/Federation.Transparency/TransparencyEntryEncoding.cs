using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Federation.Transparency;

/// <summary>
/// The one canonical byte form of a <see cref="TransparencyEntry"/>, which is what the leaf hash
/// covers and what the store keeps verbatim. UTF-8 JSON without whitespace, members in this fixed
/// order, absent references as <c>null</c>:
/// <c>{"type":"federation.log-entry.v1","index":41,"kind":"admission","time":"2026-12-05T03:38:05.123Z",
/// "job":...,"dataset":...,"peer":...,"rule":...,"subject":...,"detail":{...}}</c>; the kind by its
/// durable name (<see cref="TransparencyEntryKinds"/>), the time in UTC with exactly three decimals,
/// detail members in ordinal key order, strings escaped by the default <see cref="Utf8JsonWriter"/>
/// encoder. The entry's own position in the log (<c>index</c>, from 0) is part of the bytes, so a row
/// moved to another position is named by itself, not only by a root that no longer matches.
/// Auditors hash the stored bytes; they never re-serialise.
/// </summary>
public static class TransparencyEntryEncoding
{
    /// <summary>The type tag of this form; a new form gets a new tag.</summary>
    public const string Type = "federation.log-entry.v1";

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    // Most a thread keeps between encodings: the writer asks for room for a string's worst escaping
    // (6 bytes a character), so a new buffer per entry grew several times for one entry of a few
    // hundred bytes; kept per thread it is grown once (encoding does not await).
    private const int KeptBuffer = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The canonical bytes of <paramref name="entry"/> at position <paramref name="index"/> of the log.</summary>
    public static byte[] Encode(long index, TransparencyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false });
        json.Reset(buffer);
        try
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteNumber("index", index);
            json.WriteString("kind", TransparencyEntryKinds.Name(entry.Kind));
            json.WriteString("time", entry.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            json.WriteString("job", entry.Job);
            json.WriteString("dataset", entry.Dataset);
            json.WriteString("peer", entry.Peer);
            json.WriteString("rule", entry.Rule);
            json.WriteString("subject", entry.Subject);
            json.WriteStartObject("detail");
            foreach (var (key, value) in entry.Detail.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            json.Reset();
            if (buffer.Capacity > KeptBuffer)
            {
                (t_buffer, t_writer) = (null, null);
            }
        }
    }

    /// <summary>Reads canonical bytes back; they must be exactly what <see cref="Encode"/> writes for the position and entry they hold.</summary>
    /// <exception cref="FormatException">The bytes are not a canonical entry; the message says why.</exception>
    public static (long Index, TransparencyEntry Entry) Decode(ReadOnlySpan<byte> bytes)
    {
        TransparencyEntry entry;
        long index;
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "type") != Type)
            {
                throw new FormatException($"not a {Type} entry");
            }

            if (!root.TryGetProperty("index", out var at) || at.ValueKind != JsonValueKind.Number || !at.TryGetInt64(out index) || index < 0)
            {
                throw new FormatException("index is missing or not a whole number from 0");
            }

            if (!TransparencyEntryKinds.TryParse(Str(root, "kind"), out var kind))
            {
                throw new FormatException($"unknown kind '{Str(root, "kind")}'");
            }

            if (!DateTimeOffset.TryParseExact(Str(root, "time"), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw new FormatException($"time '{Str(root, "time")}' is not {TimeFormat}");
            }

            var detail = new List<KeyValuePair<string, string>>();
            if (!root.TryGetProperty("detail", out var d) || d.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("detail is missing");
            }

            foreach (var member in d.EnumerateObject())
            {
                detail.Add(new(member.Name, member.Value.GetString() ?? throw new FormatException($"detail.{member.Name} is null")));
            }

            entry = TransparencyEntry.Create(kind, time, Str(root, "job"), Str(root, "dataset"), Str(root, "peer"), Str(root, "rule"), Str(root, "subject"), detail);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            throw new FormatException($"the entry bytes are not a canonical entry: {e.Message}", e);
        }

        if (!bytes.SequenceEqual(Encode(index, entry)))
        {
            throw new FormatException("the entry bytes are not in canonical form (re-encoding them gives other bytes)");
        }

        return (index, entry);
    }

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.Null ? null : value.GetString() : throw new FormatException($"member '{name}' is missing");
}
