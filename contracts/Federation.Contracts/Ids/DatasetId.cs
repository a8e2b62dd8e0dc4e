using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A dataset's id within its home nation: a slug such as <c>cancer-registry</c>.</summary>
[GenerateSerializer, Immutable, Alias("fed.DatasetId")]
public readonly record struct DatasetId : ITypedId<DatasetId>
{
    /// <summary>Prefix of the grain key; not a hex digit, so keys never parse as integers.</summary>
    public const string KeyPrefix = "ds-";

    private DatasetId(string value) => Value = value;

    /// <summary>The slug.</summary>
    [Id(0)]
    public string Value { get; }

    /// <summary>The key of the dataset's grain.</summary>
    public string GrainKey => KeyPrefix + Value;

    /// <inheritdoc />
    public static string Kind => "dataset id";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out DatasetId id, [NotNullWhen(false)] out string? error)
    {
        if (IdSyntax.IsSlug(text))
        {
            id = new DatasetId(text);
            error = null;
            return true;
        }

        id = default;
        error = IdSyntax.Describe(Kind, text, IdSyntax.SlugRule);
        return false;
    }

    /// <summary>Recovers the id from its grain key.</summary>
    public static DatasetId FromGrainKey(string key) => TypedId.ParseKey<DatasetId>(key, KeyPrefix);

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
