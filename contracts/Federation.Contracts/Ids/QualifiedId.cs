using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>Splits <c>&lt;nation&gt;/&lt;local&gt;</c> references.</summary>
internal static class QualifiedId
{
    public static bool TrySplit(string? text, string kind, [NotNullWhen(true)] out string? nation, [NotNullWhen(true)] out string? local, [NotNullWhen(false)] out string? error)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0)
        {
            nation = local = null;
            error = IdSyntax.Describe(kind, text, "<nation code>/<id>, such as FR/cancer-registry");
            return false;
        }

        nation = text[..slash];
        local = text[(slash + 1)..];
        error = null;
        return true;
    }
}
