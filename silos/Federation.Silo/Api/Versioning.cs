using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Api;

/// <summary>ETags and If-Match: every catalogue entry's ETag is its version, as a strong ETag <c>"N"</c>.</summary>
public static class Versioning
{
    /// <summary>The ETag of <paramref name="version"/>.</summary>
    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version the client expects (required on updates): 428 when If-Match is missing, 400 when
    /// it is not an ETag this API issued, null for <c>*</c> (any current version).
    /// </summary>
    public static (int? Version, ProblemHttpResult? Problem) RequireIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return (null, Problems.Status(
                StatusCodes.Status428PreconditionRequired,
                "If-Match required",
                "Updates need the version you read: send 'If-Match: \"<version>\"' with the ETag of your last GET (or '*' to overwrite whatever is there)."));
        }

        return Parse(header);
    }

    /// <summary>The version in an optional If-Match (delete, withdraw): null when absent or <c>*</c>.</summary>
    public static (int? Version, ProblemHttpResult? Problem) OptionalIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        return string.IsNullOrWhiteSpace(header) ? (null, null) : Parse(header);
    }

    private static (int? Version, ProblemHttpResult? Problem) Parse(string header)
    {
        var value = header.Trim();
        if (value == "*")
        {
            return (null, null);
        }

        if (value.Length >= 3 && value[0] == '"' && value[^1] == '"'
            && int.TryParse(value.AsSpan(1, value.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return (version, null);
        }

        return (null, Problems.Invalid("If-Match", $"'{header}' is not an ETag of this API: use the quoted version from the ETag header, such as \"3\""));
    }
}
