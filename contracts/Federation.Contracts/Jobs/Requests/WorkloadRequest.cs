using System.Text.Json;

namespace Federation.Contracts.Jobs.Requests;

/// <summary>A workload by name and version, with arguments.</summary>
public sealed class WorkloadRequest
{
    /// <summary>Workload name.</summary>
    public string? Name { get; set; }

    /// <summary>Workload version.</summary>
    public string? Version { get; set; }

    /// <summary>Arguments: strings, numbers or booleans by parameter name.</summary>
    public Dictionary<string, JsonElement>? Arguments { get; set; }
}
