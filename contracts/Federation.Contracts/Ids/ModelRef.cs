using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A model artifact's identity: name and version, written <c>name@version</c>.</summary>
[GenerateSerializer, Immutable, Alias("fed.ModelRef")]
public readonly record struct ModelRef : ITypedId<ModelRef>
{
    /// <summary>Prefix of the grain key; not a hex digit, so keys never parse as integers.</summary>
    public const string KeyPrefix = "model-";

    /// <summary>Creates a reference from its parts.</summary>
    public ModelRef(ModelName name, ModelVersion version)
    {
        Name = name;
        Version = version;
    }

    /// <summary>The model's name.</summary>
    [Id(0)]
    public ModelName Name { get; }

    /// <summary>The model's version.</summary>
    [Id(1)]
    public ModelVersion Version { get; }

    /// <summary>The key of the model's grain.</summary>
    public string GrainKey => KeyPrefix + ToString();

    /// <inheritdoc />
    public static string Kind => "model reference";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out ModelRef id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        var at = text?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (text is null || at < 0)
        {
            error = IdSyntax.Describe(Kind, text, "<name>@<version>");
            return false;
        }

        if (!ModelName.TryParse(text[..at], out var name, out error) || !ModelVersion.TryParse(text[(at + 1)..], out var version, out error))
        {
            return false;
        }

        id = new ModelRef(name, version);
        return true;
    }

    /// <summary>Recovers the reference from its grain key.</summary>
    public static ModelRef FromGrainKey(string key) => TypedId.ParseKey<ModelRef>(key, KeyPrefix);

    /// <inheritdoc />
    public override string ToString() => $"{Name}@{Version}";
}
