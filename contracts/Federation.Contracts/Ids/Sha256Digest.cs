using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>A SHA-256 digest in lower-case hexadecimal (64 characters).</summary>
[GenerateSerializer, Immutable, Alias("fed.Sha256Digest")]
public readonly record struct Sha256Digest : ITypedId<Sha256Digest>
{
    /// <summary>The rule digests follow, quoted in error messages.</summary>
    public const string Rule = "64 hexadecimal characters (a SHA-256 digest)";

    private Sha256Digest(string value) => Value = value;

    /// <summary>The 64 lower-case hex characters.</summary>
    [Id(0)]
    public string Value { get; }

    /// <inheritdoc />
    public static string Kind => "sha256";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out Sha256Digest id, [NotNullWhen(false)] out string? error)
    {
        if (text is { Length: 64 } && text.All(char.IsAsciiHexDigit))
        {
            id = new Sha256Digest(text.ToLowerInvariant());
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
