using System.Globalization;
using Federation.Grains.Catalogue.Index;

namespace Federation.Silo.Api;

/// <summary>Parses list query parameters, recording a rule per bad parameter.</summary>
public static class QueryParameters
{
    /// <summary>Page size: 1 to 500, default 50.</summary>
    public static int Limit(HttpRequest request, ValidationErrors errors)
    {
        var text = request.Query["limit"].ToString();
        if (text.Length == 0)
        {
            return 50;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 500)
        {
            return limit;
        }

        errors.Add("limit", $"must be a whole number from 1 to 500, got '{text}'");
        return 50;
    }

    /// <summary>A boolean flag: true/false, default false.</summary>
    public static bool Flag(HttpRequest request, string name, ValidationErrors errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add(name, $"must be true or false, got '{text}'");
        return false;
    }

    /// <summary>An optional text parameter, trimmed; empty means absent.</summary>
    public static string? Text(HttpRequest request, string name, ValidationErrors errors, int maxLength = 200)
    {
        var text = request.Query[name].ToString().Trim();
        if (text.Length > maxLength)
        {
            errors.Add(name, $"at most {maxLength} characters");
        }

        // The same rule as for JSON text: a NUL reaching PostgreSQL fails the query (it was a 503),
        // and ESC and friends have no place in a search term or cursor.
        if (text.Any(JsonShape.IsForbiddenControl))
        {
            errors.Add(name, "must not contain control characters");
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>The dataset filters of a list request: text, tag, licence, includeWithdrawn, after, limit.</summary>
    public static DatasetQuery Datasets(HttpRequest request, ValidationErrors errors) => new()
    {
        Text = Text(request, "text", errors),
        Tag = Text(request, "tag", errors),
        Licence = Text(request, "licence", errors),
        IncludeWithdrawn = Flag(request, "includeWithdrawn", errors),
        After = Text(request, "after", errors),
        Limit = Limit(request, errors),
    };

    /// <summary>The model filters of a list request: text, licence, name, includeWithdrawn, after, limit.</summary>
    public static ModelQuery Models(HttpRequest request, ValidationErrors errors) => new()
    {
        Text = Text(request, "text", errors),
        Licence = Text(request, "licence", errors),
        Name = Text(request, "name", errors),
        IncludeWithdrawn = Flag(request, "includeWithdrawn", errors),
        After = Text(request, "after", errors),
        Limit = Limit(request, errors),
    };
}
