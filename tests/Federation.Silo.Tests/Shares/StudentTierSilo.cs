using System.Net;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Silo.Tests.Shares;

/// <summary>One embedded nation with two nodes of 4 accelerators, a student quota of 2, two consortia with quotas of 3 and course ml-101.</summary>
public sealed class StudentTierSilo : IAsyncLifetime
{
    /// <summary>The silo.</summary>
    public SiloUnderTest Silo { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Executor:ProgressSeconds"] = "0.2",
            ["Federation:Jobs:ReplanSeconds"] = "0.5",
            ["Federation:Shares:StudentQuota"] = "0.25",
            ["Federation:Shares:ConsortiumQuotas:climate"] = "0.375",
            ["Federation:Shares:ConsortiumQuotas:health"] = "0.375",
            ["Federation:Shares:StudentMaxWalltimeMinutes"] = "60",
            ["Federation:Shares:Courses:ml-101:Supervisor"] = "uni:prof",
        });
        var ct = TestContext.Current.CancellationToken;
        foreach (var node in new[] { "gpu-a", "gpu-b" })
        {
            await Http.ExpectAsync(await Silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node(node, leaseSeconds: 3600)), ct), HttpStatusCode.Created);
            await Http.ExpectAsync(await Silo.Client.PostAsync($"/api/v1/nodes/{node}/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.OK);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Silo.DisposeAsync();
}
