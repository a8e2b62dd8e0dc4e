using System.Globalization;
using System.Text.Json.Nodes;

namespace Federation.Fedctl.Output;

/// <summary>
/// The one way fedctl writes a point in time, in every table, view and line: ISO 8601 in UTC to the
/// second, with a space for the T so that it reads as a date and a time (<c>2026-12-04 19:06:18Z</c>).
/// </summary>
public static class Timestamp
{
    /// <summary>The format, for <see cref="DateTimeOffset.ToString(string, IFormatProvider)"/> of a UTC time.</summary>
    public const string Pattern = "yyyy-MM-dd HH:mm:ss'Z'";

    /// <summary><paramref name="at"/> in the one format.</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>A JSON timestamp (ISO 8601 text) in the one format; "-" when absent or not a time.</summary>
    public static string Format(JsonNode? at) => Parse(at) is { } time ? Format(time) : "-";

    /// <summary>How long ago <paramref name="at"/> was, for people: <c>4 s ago</c>, <c>3 min ago</c>; "-" when absent.</summary>
    public static string Age(JsonNode? at, DateTimeOffset now)
    {
        if (Parse(at) is not { } time)
        {
            return "-";
        }

        var seconds = Math.Max(0, (now - time).TotalSeconds);
        return seconds switch
        {
            < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s ago"),
            < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min ago"),
            < 172_800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0} h ago"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400:0} d ago"),
        };
    }

    /// <summary>The time in a JSON string, when it is one (ISO 8601 with a date and a time).</summary>
    public static DateTimeOffset? Parse(JsonNode? at) =>
        at is JsonValue v && v.TryGetValue<string>(out var text) && LooksLikeTime(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    // Only ISO 8601 date-times: a bare number or a version such as "1.0" must not read as a date.
    private static bool LooksLikeTime(string text) =>
        text.Length >= 19 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-' && (text[10] == 'T' || text[10] == ' ');
}
