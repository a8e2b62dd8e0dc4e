using System.Net;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// One embedded nation with two nodes of 4 accelerators, two consortia with quotas of half each, no student
/// reserve, and a reclaim grace of 20 seconds (checkpoint and requeue, newest first; 2 seconds to checkpoint).
/// </summary>
public sealed class ReclaimSilo : IAsyncLifetime
{
    /// <summary>The reclaim grace the nation states: every reclaimed accelerator is back within it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    /// <summary>How long a reclaimed run has to checkpoint before it is stopped and requeued (<c>CheckpointGraceSeconds</c>).</summary>
    public static readonly TimeSpan CheckpointGrace = TimeSpan.FromSeconds(2);

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
            ["Federation:Shares:StudentQuota"] = "0",
            ["Federation:Shares:ConsortiumQuotas:climate"] = "0.5",
            ["Federation:Shares:ConsortiumQuotas:health"] = "0.5",
            ["Federation:Shares:ReclaimGraceSeconds"] = Grace.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Federation:Shares:CheckpointGraceSeconds"] = CheckpointGrace.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
