using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A GPU node's id within its nation: a slug such as <c>gpu-paris-01</c>.</summary>
[GenerateSerializer, Immutable, Alias("fed.NodeId")]
public readonly record struct NodeId : ITypedId<NodeId>
{
    /// <summary>Prefix of the grain key; not a hex digit, so keys never parse as integers.</summary>
    public const string KeyPrefix = "node-";

    private NodeId(string value) => Value = value;

    /// <summary>The slug.</summary>
    [Id(0)]
    public string Value { get; }

    /// <summary>The key of the node's grain.</summary>
    public string GrainKey => KeyPrefix + Value;

    /// <inheritdoc />
    public static string Kind => "node id";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out NodeId id, [NotNullWhen(false)] out string? error)
    {
        if (IdSyntax.IsSlug(text))
        {
            id = new NodeId(text);
            error = null;
            return true;
        }

        id = default;
        error = IdSyntax.Describe(Kind, text, IdSyntax.SlugRule);
        return false;
    }

    /// <summary>Recovers the id from its grain key.</summary>
    public static NodeId FromGrainKey(string key) => TypedId.ParseKey<NodeId>(key, KeyPrefix);

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
