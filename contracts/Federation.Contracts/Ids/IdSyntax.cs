using System.Diagnostics.CodeAnalysis;

namespace Federation.Contracts.Ids;

/// <summary>
/// The one place that states the syntax of slug-like identifiers, so that every typed id
/// rejects invalid input with the same wording.
/// </summary>
public static class IdSyntax
{
    /// <summary>Longest slug accepted; keeps storage keys far below the 150-character limits of the ADO.NET tables.</summary>
    public const int MaxSlugLength = 63;

    /// <summary>The rule that slugs follow, quoted in error messages.</summary>
    public const string SlugRule = "1 to 63 characters: lower-case letters a-z, digits 0-9 and '-', starting and ending with a letter or digit";

    /// <summary>Checks <paramref name="value"/> against <see cref="SlugRule"/>.</summary>
    public static bool IsSlug([NotNullWhen(true)] string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxSlugLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c == '-'))
            {
                return false;
            }
        }

        return value[0] != '-' && value[^1] != '-';
    }

    /// <summary>Builds the standard message for a value that breaks a rule.</summary>
    public static string Describe(string what, string? value, string rule) =>
        value is null ? $"{what} is required ({rule})" : $"'{Truncate(value)}' is not a valid {what}: {rule}";

    private static string Truncate(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 77), "...");
}
