namespace Federation.Silo.Tests.Transparency;

/// <summary>The audit tests' embedded nation: the demo workload, fast simulated runs, no head within the test.</summary>
public sealed class AuditSilo : SharedSilo
{
    /// <summary>The configuration, also for the test that starts a nation of its own.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
        ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
        ["Federation:Transparency:HeadInterval"] = "01:00:00",
    };

    /// <inheritdoc />
    protected override IDictionary<string, string?>? Extra => new Dictionary<string, string?>(Settings);
}
