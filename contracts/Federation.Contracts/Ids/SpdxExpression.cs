using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>
/// A licence as an SPDX licence identifier or expression, such as <c>CC-BY-4.0</c> or
/// <c>Apache-2.0 OR MIT</c>. The syntax is checked (ids, <c>AND</c>/<c>OR</c>/<c>WITH</c>,
/// parentheses, <c>LicenseRef-</c>), not membership of the SPDX list.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.SpdxExpression")]
public readonly record struct SpdxExpression : ITypedId<SpdxExpression>
{
    /// <summary>The rule licences follow, quoted in error messages.</summary>
    public const string Rule = "an SPDX licence identifier or expression, such as CC-BY-4.0 or 'Apache-2.0 OR MIT' (at most 200 characters)";

    private SpdxExpression(string value) => Value = value;

    /// <summary>The expression text.</summary>
    [Id(0)]
    public string Value { get; }

    /// <inheritdoc />
    public static string Kind => "licence";

    /// <inheritdoc />
    public static bool TryParse([NotNullWhen(true)] string? text, out SpdxExpression id, [NotNullWhen(false)] out string? error)
    {
        if (text is { Length: > 0 and <= 200 } && IsExpression(text))
        {
            id = new SpdxExpression(text);
            error = null;
            return true;
        }

        id = default;
        error = IdSyntax.Describe(Kind, text, Rule);
        return false;
    }

    private static bool IsExpression(string text)
    {
        var depth = 0;
        var expectOperand = true;
        foreach (var raw in text.Replace("(", " ( ", StringComparison.Ordinal).Replace(")", " ) ", StringComparison.Ordinal)
                     .Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (raw)
            {
                case "(" when expectOperand:
                    depth++;
                    break;
                case ")" when !expectOperand && depth > 0:
                    depth--;
                    break;
                case "AND" or "OR" or "WITH" when !expectOperand:
                    expectOperand = true;
                    break;
                default:
                    if (!expectOperand || !IsLicenceId(raw))
                    {
                        return false;
                    }

                    expectOperand = false;
                    break;
            }
        }

        return depth == 0 && !expectOperand;
    }

    private static bool IsLicenceId(string token)
    {
        var core = token.EndsWith('+') ? token[..^1] : token;
        return core.Length > 0 && char.IsAsciiLetterOrDigit(core[0])
            && core.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':');
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
