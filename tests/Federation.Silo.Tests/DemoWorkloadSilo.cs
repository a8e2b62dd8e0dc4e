namespace Federation.Silo.Tests;

/// <summary>A shared embedded silo that offers the workload <c>demo-train@1.0</c>.</summary>
public sealed class DemoWorkloadSilo : SharedSilo
{
    /// <inheritdoc />
    protected override IDictionary<string, string?>? Extra { get; } =
        new Dictionary<string, string?> { ["Federation:Peering:Workloads:0"] = "demo-train@1.0" };
}
