using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;

namespace Federation.Fuzz.Tests;

/// <summary>
/// CsCheck generators of JSON values read from a committed OpenAPI document: each schema becomes a
/// generator of values that follow it (types, required members, enums, known patterns), so that a
/// change to the contract changes what the fuzz suite sends.
/// </summary>
public sealed class OpenApiGenerators
{
    private const int MaxDepth = 6;

    private static readonly Dictionary<string, Gen<string>> s_patterns = new(StringComparer.Ordinal)
    {
        ["^[0-9a-fA-F]{64}$"] = Gen.Const(0).Select(_ => new string('a', 64)).SelectMany(a => Gen.Int[0, 15].Select(i => a[..^1] + i.ToString("x", CultureInfo.InvariantCulture))),
        ["^[A-Z]{2}$"] = Gen.OneOf("FR", "DE", "SE", "XX"),
        ["^[A-Z]{2}/[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"] = Gen.Select(Gen.OneOf("FR", "DE", "SE"), Gen.Int[0, 9], (n, i) => $"{n}/fz-job-{i}"),
        ["^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"] = Gen.Int[0, 9].Select(i => $"fz-{i}"),
        ["^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?@[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"] = Gen.OneOf("demo-train@1.0", "demo-eval@1.0", "other@2"),
        ["^-?(?:0|[1-9]\\d*)$"] = Gen.Long[-5, 1_000_000].Select(l => l.ToString(CultureInfo.InvariantCulture)),
        ["^[A-Za-z0-9()][A-Za-z0-9().:+ -]{0,199}$"] = Gen.OneOf("CC-BY-4.0", "Apache-2.0", "MIT"),
    };

    private static readonly Gen<string> s_text = Gen.Frequency<string>(
        (6, Gen.String[Gen.Char.AlphaNumeric, 1, 12]),
        (2, Gen.OneOf("h100-sxm", "a100-sxm", "GRU", "HMB", "homeOnly", "anywhere", "demo-train", "1.0", "alice@example.org", "stdout")),
        (1, Gen.Const(string.Empty)));

    private readonly JsonObject _schemas;
    private readonly Dictionary<string, Gen<JsonNode?>> _byName = new(StringComparer.Ordinal);

    private OpenApiGenerators(JsonObject document)
    {
        Document = document;
        _schemas = document["components"]?["schemas"]?.AsObject() ?? [];
    }

    /// <summary>The OpenAPI document the generators follow.</summary>
    public JsonObject Document { get; }

    /// <summary>Reads a document copied next to the tests (openapi/<paramref name="file"/>).</summary>
    public static OpenApiGenerators Load(string file) =>
        new(JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi", file)))!.AsObject());

    /// <summary>The operations of the document: method, path template, request body schema name (or null).</summary>
    public IReadOnlyList<Operation> Operations() =>
        Document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(op => op.Key is "get" or "post" or "put" or "delete")
                .Select(op => new Operation(
                    op.Key.ToUpperInvariant(),
                    path.Key,
                    op.Value?["requestBody"]?["content"]?.AsObject().Select(c => c.Value?["schema"]?["$ref"]?.GetValue<string>()).FirstOrDefault()?.Split('/')[^1],
                    op.Value?["parameters"]?.AsArray().Where(p => p?["in"]?.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()).ToArray() ?? [])))
            .ToList();

    /// <summary>A generator of values of the named component schema.</summary>
    public Gen<JsonNode?> For(string schemaName) => Named(schemaName, 0);

    private Gen<JsonNode?> Named(string name, int depth)
    {
        if (depth > 0)
        {
            return Build(_schemas[name]!.AsObject(), depth);
        }

        if (!_byName.TryGetValue(name, out var gen))
        {
            gen = Build(_schemas[name]!.AsObject(), depth);
            _byName[name] = gen;
        }

        return gen;
    }

    private Gen<JsonNode?> Build(JsonObject schema, int depth)
    {
        if (depth > MaxDepth)
        {
            return Gen.Const((JsonNode?)null);
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            return Named(reference.Split('/')[^1], depth + 1);
        }

        if ((schema["oneOf"] ?? schema["anyOf"])?.AsArray() is { } choices)
        {
            return Gen.OneOf(choices.Select(c => (IGen<JsonNode?>)Build(c!.AsObject(), depth + 1)).ToArray());
        }

        if (schema["enum"]?.AsArray() is { Count: > 0 } values)
        {
            var copies = values.Select(v => v?.ToJsonString()).ToArray();
            return Gen.OneOf<string?>(copies).Select(text => text is null ? null : JsonNode.Parse(text));
        }

        var types = schema["type"] switch
        {
            JsonArray list => list.Select(t => t!.GetValue<string>()).ToArray(),
            JsonValue one => [one.GetValue<string>()],
            _ => schema["properties"] is not null ? ["object"] : ["string"],
        };
        var gens = types.Select(type => (type == "null" ? 1 : 8, (IGen<JsonNode?>)ForType(type, schema, depth))).ToArray();
        return gens.Length == 1 ? (Gen<JsonNode?>)gens[0].Item2 : Gen.Frequency(gens);
    }

    private Gen<JsonNode?> ForType(string type, JsonObject schema, int depth) => type switch
    {
        "null" => Gen.Const((JsonNode?)null),
        "boolean" => Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        "integer" => Gen.Frequency<int>((8, Gen.Int[0, 100]), (1, Gen.Int[-3, 0]), (1, Gen.Int)).Select(i => (JsonNode?)JsonValue.Create(i)),
        "number" => Gen.Frequency<double>((8, Gen.Double[0, 1000]), (1, Gen.Double[-10, 0]), (1, Gen.OneOf(1e308, 0.0, 1e-300))).Select(d => (JsonNode?)JsonValue.Create(d)),
        "array" => Build(schema["items"]?.AsObject() ?? [], depth + 1).List[0, 3].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray())),
        "object" => Object(schema, depth),
        _ => String(schema),
    };

    private static Gen<JsonNode?> String(JsonObject schema)
    {
        var format = schema["format"]?.GetValue<string>();
        var gen = schema["pattern"]?.GetValue<string>() is { } pattern && s_patterns.TryGetValue(pattern, out var known) ? known
            : format == "date-time" ? Gen.Int[-100, 100].Select(m => DateTimeOffset.UtcNow.AddMinutes(m).ToString("O", CultureInfo.InvariantCulture))
            : format == "date" ? Gen.Int[-100, 100].Select(d => DateTime.UtcNow.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : format == "uri" ? Gen.OneOf("https://127.0.0.1:1/", "s3://bucket/x", "file:///etc/passwd", "not a uri")
            : s_text;
        return gen.Select(s => (JsonNode?)JsonValue.Create(s));
    }

    private Gen<JsonNode?> Object(JsonObject schema, int depth)
    {
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        var members = (schema["properties"]?.AsObject() ?? []).Select(p =>
        {
            var value = Build(p.Value!.AsObject(), depth + 1);
            var present = required.Contains(p.Key) ? Gen.Const(true) : Gen.Frequency<bool>((3, Gen.Const(true)), (1, Gen.Const(false)));
            return Gen.Select(present, value, (keep, v) => keep ? (p.Key, v, true) : (p.Key, v, false));
        }).ToList();

        var all = members.Aggregate(
            Gen.Const(ImmutableList<(string Key, JsonNode? Value, bool Keep)>.Empty),
            (acc, member) => acc.SelectMany(list => member.Select(m => list.Add(m))));
        return all.Select(list =>
        {
            var o = new JsonObject();
            foreach (var (key, value, keep) in list.Where(m => m.Keep))
            {
                o[key] = value?.DeepClone();
            }

            return (JsonNode?)o;
        });
    }

    /// <summary>One operation of the document.</summary>
    public sealed record Operation(string Method, string Path, string? BodySchema, IReadOnlyList<string> QueryParameters);
}
