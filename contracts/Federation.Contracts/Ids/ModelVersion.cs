using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A model artifact's version, such as <c>1.2.0</c> or <c>2024-06-rc.1</c>.</summary>
[GenerateSerializer, Immutable, Alias("fed.ModelVersion")]
public readonly record struct ModelVersion : ITypedId<ModelVersion>
{
    /// <summary>The rule that versions follow, quoted in error messages.</summary>
    public const string Rule = "1 to 32 characters: letters, digits, '.', '-' and '_', starting with a letter or digit";

    private ModelVersion(string value) => Value = value;

    /// <summary>The version text.</summary>
    [Id(0)]
    public string Value { get; }

    /// <inheritdoc />
    public static string Kind => "model version";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out ModelVersion id, [NotNullWhen(false)] out string? error)
    {
        if (!string.IsNullOrEmpty(text) && text.Length <= 32 && char.IsAsciiLetterOrDigit(text[0])
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            id = new ModelVersion(text);
            error = null;
            return true;
        }

        id = default;
        error = IdSyntax.Describe(Kind, text, Rule);
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
