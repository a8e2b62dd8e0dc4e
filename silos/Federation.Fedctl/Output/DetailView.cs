using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Output;

/// <summary>
/// One record for people: <c>key: value</c> lines, aligned, with a section per nested object and an
/// item per element of a list of objects; times in <see cref="Timestamp"/>'s format. The keys are the
/// API's, written as words (<c>sizeBytes</c> becomes <c>size bytes</c>), so the view never lags the API.
/// </summary>
public static class DetailView
{
    private const string Indent = "  ";

    /// <summary>
    /// Writes <paramref name="record"/>; the members of the objects named in <paramref name="inline"/>
    /// (such as <c>spec</c>) come first, at the top level, as if they were the record's own.
    /// </summary>
    public static void Write(TextWriter output, JsonObject record, params string[] inline)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(record);
        var members = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var name in inline)
        {
            if (record[name] is JsonObject part)
            {
                members.AddRange(part);
            }
        }

        members.AddRange(record.Where(m => !(inline.Contains(m.Key, StringComparer.Ordinal) && m.Value is JsonObject)));
        WriteBlock(output, members, 0);
    }

    /// <summary>Writes aligned <c>name: value</c> lines (no sections).</summary>
    public static void WritePairs(TextWriter output, IReadOnlyList<(string Name, string Value)> pairs, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            return;
        }

        var width = pairs.Max(p => p.Name.Length) + 2;
        var indent = string.Concat(Enumerable.Repeat(Indent, depth));
        foreach (var (name, value) in pairs)
        {
            output.WriteLine($"{indent}{(name + ":").PadRight(width)}{value}".TrimEnd());
        }
    }

    /// <summary>A camelCase API name as lower-case words: <c>lastAdvertAt</c> becomes <c>last advert at</c>.</summary>
    public static string Words(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    /// <summary>A scalar or a list of scalars as one line of text; null for what needs a section.</summary>
    public static string? Inline(JsonNode? node) => node switch
    {
        null => "-",
        JsonValue value => Scalar(value),
        JsonArray { Count: 0 } => "-",
        JsonArray array when array.All(i => i is null or JsonValue) => string.Join(", ", array.Select(i => i is JsonValue v ? Scalar(v) : "-")),
        JsonObject { Count: 0 } => "-",
        _ => null,
    };

    private static string Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String when Timestamp.Parse(value) is { } time => Timestamp.Format(time),
        JsonValueKind.String => value.GetValue<string>() is { Length: > 0 } text ? text.ReplaceLineEndings(" ") : "-",
        JsonValueKind.Number => value.TryGetValue<long>(out var whole) ? whole.ToString(CultureInfo.InvariantCulture)
            : value.GetValue<double>().ToString("0.######", CultureInfo.InvariantCulture),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => value.ToJsonString(),
    };

    private static void WriteBlock(TextWriter output, IReadOnlyList<KeyValuePair<string, JsonNode?>> members, int depth)
    {
        var pairs = new List<(string, string)>();
        var sections = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var member in members)
        {
            if (Inline(member.Value) is { } text)
            {
                pairs.Add((Words(member.Key), text));
            }
            else
            {
                sections.Add(member);
            }
        }

        WritePairs(output, pairs, depth);
        var indent = string.Concat(Enumerable.Repeat(Indent, depth));
        foreach (var (name, node) in sections)
        {
            if (depth == 0)
            {
                output.WriteLine();
            }

            output.WriteLine($"{indent}{Words(name)}:");
            if (node is JsonObject nested)
            {
                WriteBlock(output, [.. nested], depth + 1);
                continue;
            }

            var index = 0;
            foreach (var item in node!.AsArray())
            {
                index++;
                if (item is JsonObject element)
                {
                    output.WriteLine($"{indent}{Indent}[{index}]");
                    WriteBlock(output, [.. element], depth + 2);
                }
                else
                {
                    output.WriteLine($"{indent}{Indent}[{index}] {Inline(item) ?? item!.ToJsonString()}");
                }
            }
        }
    }
}
