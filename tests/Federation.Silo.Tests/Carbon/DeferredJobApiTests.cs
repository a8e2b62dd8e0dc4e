using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Routing;
using Federation.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Federation.Silo.Tests.Carbon;

/// <summary>
/// A deferrable job submitted to a nation whose next hours are dirty: it is held (pending, no offer) until
/// its cleaner window, explain and the event stream say until when and what that avoids, cancel works
/// while it waits, and the hold survives a restart of its grain (it is in the grain's persisted state).
/// </summary>
public sealed class DeferredJobApiTests(DeferralSilo fixture) : IClassFixture<DeferralSilo>
{
    private HttpClient Client => fixture.Silo.Client;

    private static JsonObject Job(string id) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice@example.org", ["consortium"] = "onco" },
        ["inputs"] = new JsonArray("FR/health-records"),
        ["purpose"] = new JsonObject { ["use"] = "HMB", ["ethicsApprovalReference"] = "IRB-7" },
        ["accelerators"] = new JsonObject { ["count"] = 2, ["models"] = new JsonArray("h100-sxm") },
        ["work"] = new JsonObject { ["acceleratorHours"] = 10, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0", ["arguments"] = new JsonObject { ["epochs"] = 3 } },
        ["deferrable"] = true,
        ["deadline"] = DateTimeOffset.UtcNow.AddHours(40).ToString("O"),
    };

    [Fact]
    public async Task Submit_DirtyHoursAhead_HeldUntilTheCleanerWindow_ExplainShowsItAndCancelWorks()
    {
        var ct = TestContext.Current.CancellationToken;

        var record = await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("defer-1")), ct), HttpStatusCode.Created);

        Assert.Equal("planned", record["state"]!.GetValue<string>());
        var reason = record["stateReason"]!.GetValue<string>();
        Assert.StartsWith("deferred until ", reason, StringComparison.Ordinal);
        Assert.Contains("for cleaner hours in FR (avoids ", reason, StringComparison.Ordinal);
        Assert.Null(record["nation"]);
        Assert.Equal(0, record["epoch"]!.GetValue<int>());

        var explained = (await Client.GetFromJsonAsync<JsonObject>("/api/v1/jobs/defer-1/decision", ct))!;
        Assert.Equal(reason, explained["stateReason"]!.GetValue<string>());
        var shift = explained["decision"]!["timeShift"]!.AsObject();
        Assert.True(shift["deferred"]!.GetValue<bool>());
        Assert.True(shift["startAt"]!.GetValue<DateTimeOffset>() >= fixture.From.AddHours(DeferralSilo.DirtyHours - 1), $"the window {shift["startAt"]} is still in the dirty hours from {fixture.From:O}");
        Assert.True(shift["avoidedGco2e"]!.GetValue<double>() > 0, shift.ToJsonString());
        Assert.Equal(shift["nowGco2e"]!.GetValue<double>() - shift["windowGco2e"]!.GetValue<double>(), shift["avoidedGco2e"]!.GetValue<double>(), 6);
        Assert.Empty(explained["admissions"]!.AsArray());

        var cancelled = await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs/defer-1:cancel", Payloads.Json(new JsonObject { ["reason"] = "not needed" }), ct), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["state"]!.GetValue<string>());
        Assert.Equal(0, cancelled["epoch"]!.GetValue<int>());

        // Watch: the stream (which ends with the cancellation) carries the hold with its window and what it avoids.
        var messages = await EventMessagesAsync("defer-1", ct);
        Assert.Contains(reason, messages);
        Assert.Equal("cancelled: not needed", messages[^1]);
    }

    [Fact]
    public void Deferral_RoundTripsThroughTheGrainStatesSerializer()
    {
        var serializer = fixture.Silo.Services.GetRequiredService<Serializer>();
        var held = new TimeShift
        {
            Deferred = true,
            StartAt = fixture.From.AddHours(5),
            FinishBy = fixture.From.AddHours(7),
            Nation = TypedId.Parse<NationCode>("FR"),
            NowNation = TypedId.Parse<NationCode>("FR"),
            NowGco2e = 300,
            WindowGco2e = 100,
            AvoidedGco2e = 200,
            WindowsCompared = 30,
            Reason = "deferred",
        };

        var back = serializer.Deserialize<JobGrainState>(serializer.SerializeToArray(new JobGrainState { Deferral = held }))
            ?? throw new InvalidOperationException("the grain state did not come back from the serializer");

        Assert.Equal(held, back.Deferral);
        Assert.Equal(held, back.ToLifecycle(TypedId.Parse<JobRef>("FR/defer-2")).Deferral);
        Assert.Equal(held, JobGrainState.From(back.ToLifecycle(TypedId.Parse<JobRef>("FR/defer-2"))).Deferral);
    }

    private async Task<List<string>> EventMessagesAsync(string id, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/events"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                messages.Add(JsonNode.Parse(line[6..])!["message"]!.GetValue<string>());
            }
        }

        return messages;
    }
}
