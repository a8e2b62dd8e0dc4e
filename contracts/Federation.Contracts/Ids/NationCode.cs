using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A nation's ISO 3166-1 alpha-2 code, such as <c>FR</c>.</summary>
[GenerateSerializer, Immutable, Alias("fed.NationCode")]
public readonly record struct NationCode : ITypedId<NationCode>
{
    /// <summary>The rule nation codes follow, quoted in error messages.</summary>
    public const string Rule = "an assigned ISO 3166-1 alpha-2 code in upper case, such as FR or DE";

    private NationCode(string value) => Value = value;

    /// <summary>The two upper-case letters.</summary>
    [Id(0)]
    public string Value { get; }

    /// <inheritdoc />
    public static string Kind => "nation code";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out NationCode id, [NotNullWhen(false)] out string? error)
    {
        if (text is { Length: 2 } && Iso3166.IsAssigned(text))
        {
            id = new NationCode(text);
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
