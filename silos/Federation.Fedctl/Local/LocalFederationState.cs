using System.Text.Json;

namespace Federation.Fedctl.Local;

/// <summary>The launcher's state file: which processes it started and where they listen.</summary>
public sealed record LocalFederationState(DateTimeOffset StartedAt, string Roster, IReadOnlyList<LocalNationState> Nations)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Reads the state file, or null when there is none.</summary>
    public static LocalFederationState? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<LocalFederationState>(File.ReadAllText(path), s_json) : null;

    /// <summary>Writes the state file.</summary>
    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, s_json));
}
