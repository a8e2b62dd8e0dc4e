namespace Federation.Silo.Execution;

/// <summary>One entry of <c>Federation:Workloads</c>: an allow-listed workload pinned by sha256.</summary>
public sealed class WorkloadOptions
{
    /// <summary>The configuration section (a list).</summary>
    public const string Section = "Federation:Workloads";

    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Version.</summary>
    public string Version { get; set; } = "";

    /// <summary>Absolute path of the script or binary that runs.</summary>
    public string Path { get; set; } = "";

    /// <summary>Its sha256, 64 hex digits.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Parameters by name.</summary>
    public Dictionary<string, WorkloadParameterOptions> Parameters { get; set; } = new(StringComparer.Ordinal);
}
