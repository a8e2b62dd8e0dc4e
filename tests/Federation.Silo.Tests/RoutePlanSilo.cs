using System.Net;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Silo.Tests;

/// <summary>One embedded nation (FR) shared by the plan tests: a node that is up, a workload, a home-only HMB+IRB dataset.</summary>
public sealed class RoutePlanSilo : IAsyncLifetime
{
    /// <summary>The silo.</summary>
    public SiloUnderTest Silo { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Carbon:Source"] = "series",
        });
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-plan", leaseSeconds: 3600)), ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await Silo.Client.PostAsync("/api/v1/nodes/gpu-plan/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.OK);
        await Http.ExpectAsync(await Silo.Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("health-records")), ct), HttpStatusCode.Created);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Silo.DisposeAsync();
}
