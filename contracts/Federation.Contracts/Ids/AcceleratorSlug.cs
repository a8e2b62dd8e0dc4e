using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>
/// An accelerator model's slug, such as <c>h100-sxm</c>, as listed in the shipped accelerator table.
/// The syntax is checked here; whether the slug is known is checked against that table.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.AcceleratorSlug")]
public readonly record struct AcceleratorSlug : ITypedId<AcceleratorSlug>
{
    private AcceleratorSlug(string value) => Value = value;

    /// <summary>The slug.</summary>
    [Id(0)]
    public string Value { get; }

    /// <inheritdoc />
    public static string Kind => "accelerator slug";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out AcceleratorSlug id, [NotNullWhen(false)] out string? error)
    {
        if (IdSyntax.IsSlug(text))
        {
            id = new AcceleratorSlug(text);
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
