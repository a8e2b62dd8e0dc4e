using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Federation.Fuzz.Tests;

/// <summary>
/// One change to a request body, chosen by the generator and applied deterministically: which node
/// it hits is <see cref="Pick"/> modulo the number of candidates, so a seed replays exactly.
/// </summary>
public sealed record Mutation(MutationKind Kind, int Pick, int Size)
{
    /// <summary>Mutations, weighted towards the ones that found defects before (nulls, retyping, control characters).</summary>
    public static Gen<Mutation> Gen { get; } = CsCheck.Gen.Select(
        CsCheck.Gen.Frequency<MutationKind>(
            (4, CsCheck.Gen.Const(MutationKind.Remove)),
            (4, CsCheck.Gen.Const(MutationKind.Null)),
            (4, CsCheck.Gen.Const(MutationKind.Retype)),
            (2, CsCheck.Gen.Const(MutationKind.HugeString)),
            (1, CsCheck.Gen.Const(MutationKind.HugeArray)),
            (4, CsCheck.Gen.Const(MutationKind.ControlCharacter)),
            (1, CsCheck.Gen.Const(MutationKind.DeepNesting)),
            (3, CsCheck.Gen.Const(MutationKind.UnknownMember)),
            (2, CsCheck.Gen.Const(MutationKind.Truncate)),
            (2, CsCheck.Gen.Const(MutationKind.DuplicateKey)),
            (2, CsCheck.Gen.Const(MutationKind.NullInArray))),
        CsCheck.Gen.Int[0, int.MaxValue],
        CsCheck.Gen.Int[0, 3],
        (kind, pick, size) => new Mutation(kind, pick, size));

    /// <summary>The body after the mutation, as the text that is sent.</summary>
    public string Apply(JsonNode? body)
    {
        var root = body?.DeepClone() ?? new JsonObject();
        var containers = Walk(root).ToList();
        var members = containers.OfType<JsonObject>().SelectMany(o => o.Select(p => (Parent: o, p.Key))).ToList();
        var (parent, key) = members.Count > 0 ? members[Pick % members.Count] : ((JsonObject?)null, (string?)null);
        switch (Kind)
        {
            case MutationKind.Remove when parent is not null:
                parent.Remove(key!);
                break;
            case MutationKind.Null when parent is not null:
                parent[key!] = null;
                break;
            case MutationKind.Retype when parent is not null:
                parent[key!] = Retyped(parent[key!]);
                break;
            case MutationKind.HugeString when parent is not null:
                // 8 KiB to 2 MiB: past the field limits, and at the top past the request size limit.
                parent[key!] = new string('x', 8192 << (Size * 2));
                break;
            case MutationKind.HugeArray when parent is not null:
                parent[key!] = new JsonArray(Enumerable.Range(0, 1000 << (Size * 2)).Select(i => (JsonNode?)JsonValue.Create("e" + i)).ToArray());
                break;
            case MutationKind.ControlCharacter when parent is not null:
                var controls = new[] { "\u0000", "\u001b[31m", "\u0007", "\u007f", "\u202e" };
                parent[key!] = (parent[key!] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "x") + controls[Size % controls.Length];
                break;
            case MutationKind.DeepNesting:
                JsonNode nested = JsonValue.Create(1);
                for (var i = 0; i < 64 << Size; i++)
                {
                    nested = i % 2 == 0 ? new JsonArray(nested) : new JsonObject { ["a"] = nested };
                }

                if (parent is not null)
                {
                    parent[key!] = nested;
                }
                else
                {
                    return nested.ToJsonString();
                }

                break;
            case MutationKind.UnknownMember:
                if ((parent ?? root as JsonObject) is { } target)
                {
                    target[$"unknown{Pick % 7}"] = JsonValue.Create(Size);
                }

                break;
            case MutationKind.NullInArray:
                var arrays = containers.OfType<JsonArray>().ToList();
                if (arrays.Count > 0)
                {
                    arrays[Pick % arrays.Count].Add(null);
                }
                else if (parent is not null)
                {
                    parent[key!] = new JsonArray(null, JsonValue.Create("a"));
                }

                break;
            case MutationKind.Truncate:
                var text = root.ToJsonString();
                return text[..(Pick % Math.Max(1, text.Length))];
            case MutationKind.DuplicateKey when key is not null:
                // Text-level: a JSON object model cannot hold the same key twice.
                var json = root.ToJsonString();
                var at = json.IndexOf($"\"{key}\":", StringComparison.Ordinal);
                return at < 0 ? json : json.Insert(at, $"\"{key}\":{(Size % 2 == 0 ? "null" : "\"dup\"")},");
        }

        return root.ToJsonString();
    }

    private JsonNode? Retyped(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out _) => Size % 2 == 0 ? JsonValue.Create(42) : JsonValue.Create(true),
        JsonValue v when v.TryGetValue<bool>(out _) => JsonValue.Create("true"),
        JsonValue => Size % 2 == 0 ? JsonValue.Create("1") : new JsonArray(JsonValue.Create(1)),
        JsonObject => Size % 2 == 0 ? new JsonArray(new JsonObject()) : JsonValue.Create("{}"),
        JsonArray => Size % 2 == 0 ? new JsonObject { ["0"] = "a" } : JsonValue.Create(7),
        _ => JsonValue.Create(Encoding.UTF8.GetString([0xEF, 0xBF, 0xBD])),
    };

    private static IEnumerable<JsonNode> Walk(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>().Where(c => c is JsonObject or JsonArray).SelectMany(Walk))
        {
            yield return child;
        }
    }
}
