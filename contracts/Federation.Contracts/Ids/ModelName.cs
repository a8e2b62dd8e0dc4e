using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A model artifact's name: a slug such as <c>sovereign-llm-7b</c>.</summary>
[GenerateSerializer, Immutable, Alias("fed.ModelName")]
public readonly record struct ModelName : ITypedId<ModelName>
{
    private ModelName(string value) => Value = value;

    /// <summary>The slug.</summary>
    [Id(0)]
    public string Value { get; }

    /// <inheritdoc />
    public static string Kind => "model name";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out ModelName id, [NotNullWhen(false)] out string? error)
    {
        if (IdSyntax.IsSlug(text))
        {
            id = new ModelName(text);
            error = null;
            return true;
        }

        id = default;
        error = IdSyntax.Describe(Kind, text, IdSyntax.SlugRule);
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
