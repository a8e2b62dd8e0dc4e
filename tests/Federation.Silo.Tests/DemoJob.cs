using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests;

/// <summary>A one-accelerator job of the simulated <c>demo-train@1.0</c> workload on no data, submitted and followed to its end.</summary>
internal static class DemoJob
{
    /// <summary>The job's spec.</summary>
    public static JsonObject Spec(string id) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice" },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    /// <summary>Submits job <paramref name="id"/> and waits (60 s at most) until it has succeeded.</summary>
    public static async Task RunToSuccessAsync(HttpClient client, string id, CancellationToken ct)
    {
        await Http.ExpectAsync(await client.PostAsync("/api/v1/jobs", Payloads.Json(Spec(id)), ct), HttpStatusCode.Created);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        var state = "";
        while (state != "succeeded")
        {
            state = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}", ct))!["state"]!.GetValue<string>();
            Assert.True(state == "succeeded" || DateTimeOffset.UtcNow < deadline, $"job {id} did not succeed within 60 s (state {state})");
            if (state != "succeeded")
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
