using System.Collections.Immutable;

namespace Federation.Execution.Workloads;

/// <summary>
/// An entry of this nation's workload allow-list: what may run, pinned by the sha256 of the file
/// that runs, and the parameters a job may pass. A job names a workload and arguments, never a
/// command line. An entry without a file is run by the simulated executor only (it runs nothing).
/// </summary>
public sealed record WorkloadDefinition
{
    /// <summary>The workload's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its version.</summary>
    public required string Version { get; init; }

    /// <summary>The script or binary that runs; null for a simulated workload.</summary>
    public string? Path { get; init; }

    /// <summary>The sha256 (lower-case hex) the file must have; required with <see cref="Path"/>.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The parameters, by name; arguments not listed here are refused.</summary>
    public ImmutableSortedDictionary<string, WorkloadParameter> Parameters { get; init; } = ImmutableSortedDictionary<string, WorkloadParameter>.Empty;

    /// <summary>True when the simulated executor runs it (no file).</summary>
    public bool IsSimulated => Path is null;

    /// <summary><c>name@version</c>.</summary>
    public string Key => $"{Name}@{Version}";
}
