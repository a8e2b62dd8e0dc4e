using Federation.Contracts.Ids;

namespace Federation.Silo.Api.Requests;

/// <summary>Field rules shared by the request parsers: typed ids and bounded text.</summary>
public static class RequestFields
{
    /// <summary>Parses a typed id, or records why <paramref name="text"/> is not one under <paramref name="field"/>.</summary>
    public static T ParseId<T>(string? text, string field, ValidationErrors errors) where T : struct, ITypedId<T>
    {
        if (T.TryParse(text, out var id, out var error))
        {
            return id;
        }

        errors.Add(field, error);
        return default;
    }

    /// <summary>Trims required text and checks its length and characters; a missing value is recorded as required.</summary>
    public static string? Text(string? value, string field, int min, int max, ValidationErrors errors)
    {
        if (value is null)
        {
            errors.Add(field, $"is required ({min} to {max} characters)");
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length < min || trimmed.Length > max)
        {
            errors.Add(field, $"must be {min} to {max} characters, got {trimmed.Length}");
        }
        else if (trimmed.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            errors.Add(field, "must not contain control characters");
        }

        return trimmed;
    }
}
