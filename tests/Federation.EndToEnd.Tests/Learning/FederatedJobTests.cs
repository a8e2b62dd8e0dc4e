using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests.Learning;

/// <summary>
/// A federated job submitted in DE through the user API, on home-only data in FR, DE and SE: its one
/// execution is at the aggregating nation, which invites the data nations; they train at home (a toy
/// step) and send masked updates; the origin watches the rounds as progress. A data nation whose own
/// catalogue no longer lets updates out refuses the invitation, and the run stops by its round policy
/// with the job saying why.
/// </summary>
public sealed partial class FederatedJobTests(FederatedJobNations federation) : IClassFixture<FederatedJobNations>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private static readonly string[] s_dataNations = ["FR", "SE", "DE"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Job(string id, string onFailure, string dataset = FederatedJobNations.Dataset) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice@example.org" },
        ["inputs"] = new JsonArray($"FR/{dataset}", $"DE/{dataset}", $"SE/{dataset}"),
        ["purpose"] = new JsonObject { ["use"] = "HMB" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 0.1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 60,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        ["federated"] = new JsonObject
        {
            ["training"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
            ["rounds"] = 3,
            ["roundPolicy"] = new JsonObject { ["onFailure"] = onFailure, ["waitMinutes"] = 5 },
        },
    };

    [Fact]
    public async Task FederatedJob_SubmittedInDe_RunsItsRoundsAtTheAggregator_AndOnlyRoundArtifactsCrossBorders()
    {
        // Round 2's local steps are held until the origin has seen a round's progress, so that watch has one to show however fast the toy rounds are.
        var held = federation.Learning.Values.Select(l => l.StepGate("DE/fed-toy", 2)).ToList();
        using var de = federation.Client("DE");
        var spec = Job("fed-toy", "wait");
        spec["federated"]!["output"] = new JsonObject { ["model"] = ToyModel, ["licence"] = "CC-BY-4.0", ["description"] = "toy outcome model" };
        await FederatedJobNations.ExpectAsync(await de.PostAsJsonAsync("api/v1/jobs", spec, Ct), HttpStatusCode.Created);
        var watching = WatchAsync(de, "fed-toy");
        await Eventually.WaitAsync(
            async () => (await de.GetFromJsonAsync<JsonObject>("api/v1/jobs/fed-toy", Ct))!,
            j => RoundProgress().IsMatch(j["stateReason"]?.GetValue<string>() ?? ""),
            s_wait, "the origin to report the federated run's round progress", TimeSpan.FromMilliseconds(200));
        held.ForEach(g => g.TrySetResult());

        var events = await watching;
        var job = (await de.GetFromJsonAsync<JsonObject>("api/v1/jobs/fed-toy", Ct))!;
        Assert.True(job["state"]!.GetValue<string>() == "succeeded", $"the job ended {job.ToJsonString()}; events: {Messages(events)}");
        var aggregator = job["nation"]!.GetValue<string>();

        // Explain: the plan's aggregator is the nation chosen, and it was offered the job.
        var decision = (await de.GetFromJsonAsync<JsonObject>("api/v1/jobs/fed-toy/decision", Ct))!;
        var explained = decision.ToJsonString();
        Assert.Contains($"\"chosen\":\"{aggregator}\"", explained, StringComparison.Ordinal);
        Assert.Contains($"\"aggregator\":\"{aggregator}\"", explained, StringComparison.Ordinal);

        // Watch: the origin saw the rounds as progress reports.
        Assert.Contains(events, e => RoundProgress().IsMatch(e["message"]?.GetValue<string>() ?? ""));

        // The run at the aggregator completed every round, and every nation trained at home in each.
        var run = federation.Nations[aggregator].Services.GetRequiredService<IGrainFactory>()
            .GetGrain<IFederatedRunGrain>(IFederatedRunGrain.KeyOf(TypedId.Parse<JobRef>("DE/fed-toy")));
        var status = await run.GetStatusAsync();
        Assert.True(status is { Phase: "succeeded", CompletedRounds: 3 }, status.ToString());
        foreach (var (code, learning) in federation.Learning)
        {
            Assert.Equal([1, 2, 3], learning.Steps.Where(s => s.Job.ToString() == "DE/fed-toy").Select(s => s.Round).Distinct().Order());
        }

        // The aggregator registered the final model, with every round's steps and their energy; the origin's job names it.
        await AssertRegisteredModelAsync(aggregator, job);

        // What crossed DE's border for the job: the models and masked updates of the rounds, key material and control; never data.
        var transfers = (await de.GetFromJsonAsync<JsonArray>("api/v1/jobs/fed-toy/transfers", Ct))!.OfType<JsonObject>().ToList();
        var kinds = transfers.Select(t => t["what"]!.GetValue<string>()).ToHashSet();
        Assert.Subset(new HashSet<string> { "aggregated-model", "masked-update", "metrics", "secagg-keys", "control" }, kinds);
        if (aggregator != "DE")
        {
            Assert.Contains("masked-update", kinds);
            Assert.Contains("aggregated-model", kinds);
            Assert.All(transfers.Where(t => t["what"]!.GetValue<string>() == "masked-update"), t => Assert.Equal(aggregator, t["to"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task FederatedJob_ContributorWhoseCatalogueNoLongerExportsUpdates_RefusesTheInvitation_AndTheJobSaysWhy()
    {
        const string Id = "fed-refused";
        var gates = federation.Learning.Values.Select(l => l.Gate($"DE/{Id}")).ToList();
        using var de = federation.Client("DE");

        // Admitted at the aggregator, whose run waits for its initial model: the steward of another data nation withdraws the export.
        var (aggregator, refusing) = await SubmitUntilAdmittedAsync(de, Id, FederatedJobNations.Other);
        await UpdateDatasetAsync(refusing, FederatedJobNations.Other, FederatedJobNations.DatasetBody(refusing, "none", FederatedJobNations.Other));

        gates.ForEach(g => g.TrySetResult());
        var ended = await WaitEndedAsync(de, Id, "the job to end once a contributor refused");
        var reason = ended["stateReason"]?.GetValue<string>() ?? ended.ToJsonString();
        Assert.Equal("failed", ended["state"]!.GetValue<string>());
        Assert.Contains($"{refusing} refused to take part", reason, StringComparison.Ordinal);
        Assert.Contains($"dataset {refusing}/{FederatedJobNations.Other} exports 'none'", reason, StringComparison.Ordinal);
        Assert.Contains("the round policy stops the run", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(federation.Learning[refusing].Steps, s => s.Job.ToString() == $"DE/{Id}");
    }

    private static string Messages(IEnumerable<JsonObject> events) => string.Join(" | ", events.Select(e => $"{e["state"]}: {e["message"]}"));

    // Reads the job's server-sent events from the start until the job finishes.
    private static async Task<List<JsonObject>> WatchAsync(HttpClient client, string id)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromSeconds(80));
        var events = new List<JsonObject>();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{id}/events");
            using var watcher = new HttpClient { BaseAddress = client.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            using var response = await watcher.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(JsonNode.Parse(line["data: ".Length..])!.AsObject());
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"the events of {id} did not end with a finished state within 80 s; got: {Messages(events)}");
        }

        return events;
    }

    [GeneratedRegex(@"round [1-3] of 3 \(attempt \d+\)")]
    private static partial Regex RoundProgress();
}
