using System.Text.Json;
using System.Text.Json.Serialization;
using Federation.Contracts.Ids;

namespace Federation.Protocol.Roster;

/// <summary>The federation roster file: <c>{"nations": [...]}</c>.</summary>
/// <param name="Nations">Every member nation.</param>
public sealed record RosterDocument([property: JsonPropertyName("nations")] IReadOnlyList<RosterEntry> Nations)
{
    /// <summary>JSON options for roster files and roster entries (indented, camelCase).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Parses and validates a roster; throws <see cref="FormatException"/> naming every problem.</summary>
    public static RosterDocument Parse(string json)
    {
        RosterDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RosterDocument>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the roster is not valid JSON: {e.Message}", e);
        }

        if (document?.Nations is null)
        {
            throw new FormatException("the roster must be an object with a \"nations\" array");
        }

        var problems = document.Validate();
        return problems.Count == 0 ? document : throw new FormatException(string.Join("; ", problems));
    }

    /// <summary>The roster as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Every problem of this roster (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var pins = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Nations.Count; i++)
        {
            var entry = Nations[i];
            if (entry is null)
            {
                problems.Add($"nations[{i}] is null");
                continue;
            }

            foreach (var problem in ValidateEntry(entry))
            {
                problems.Add($"nations[{i}] ({entry.Code}): {problem}");
            }

            if (entry.Code is not null && !codes.Add(entry.Code))
            {
                problems.Add($"nations[{i}]: nation {entry.Code} appears twice");
            }

            foreach (var pin in (entry.Pins ?? []).Concat((entry.RetiredPins ?? []).Select(r => r?.Pin)))
            {
                if (pin is not null && pins.TryGetValue(pin, out var other) && other != entry.Code)
                {
                    problems.Add($"nations[{i}]: pin {pin} belongs to both {other} and {entry.Code}");
                }
                else if (pin is not null)
                {
                    pins[pin] = entry.Code ?? "?";
                }
            }
        }

        return problems;
    }

    /// <summary>Every problem of one roster entry (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateEntry(RosterEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var problems = new List<string>();
        if (!NationCode.TryParse(entry.Code, out _, out var error))
        {
            problems.Add(error);
        }

        if (string.IsNullOrWhiteSpace(entry.Name))
        {
            problems.Add("name is required");
        }

        if (!Uri.TryCreate(entry.FederationEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"federationEndpoint must be an absolute https URL, not '{entry.FederationEndpoint}'");
        }

        if (entry.GridZone is not null && (entry.GridZone.Length is 0 or > 32 || !entry.GridZone.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            problems.Add($"gridZone must be 1 to 32 letters, digits, '-' or '_', not '{entry.GridZone}'");
        }

        if (entry.ProtocolVersions is not { Count: > 0 })
        {
            problems.Add("protocolVersions must name at least one version");
        }

        if (entry.Pins is not { Count: > 0 })
        {
            problems.Add("pins must hold at least one SPKI SHA-256 pin");
        }
        else
        {
            problems.AddRange(entry.Pins.Where(p => !SpkiPin.IsWellFormed(p)).Select(p => $"pin '{p}' is not a base64 SHA-256 digest (44 characters)"));
        }

        for (var i = 0; i < (entry.RetiredPins?.Count ?? 0); i++)
        {
            var retired = entry.RetiredPins![i];
            if (retired is null || !SpkiPin.IsWellFormed(retired.Pin))
            {
                problems.Add($"retiredPins[{i}] must hold a base64 SHA-256 pin (44 characters)");
            }
            else if (entry.Pins?.Contains(retired.Pin, StringComparer.Ordinal) == true)
            {
                problems.Add($"retiredPins[{i}]: pin {retired.Pin} is also an active pin");
            }
            else if (entry.RetiredPins.Take(i).Any(r => r?.Pin == retired.Pin))
            {
                problems.Add($"retiredPins[{i}]: pin {retired.Pin} is retired twice");
            }
        }

        return problems;
    }
}
