using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Issue 17's must-show on the launched training federation: a contributor killed in the middle of round 2
/// (after it shared its keys, while its local step is held). With four contributors the round goes on without
/// it, its masks rebuilt from the Shamir shares, and the job finishes by its round policy with one model. With
/// three, the round cannot make a safe sum: it waits, naming the nation, rather than expose an update, and once
/// the nation is started again it rejoins and the job succeeds. Two rounds each, to keep CI time down. The
/// three-contributor run has differential privacy on, and its model is then evaluated by GB, which did not train
/// it, and shown on its card (<c>FederatedDropoutTests.Card.cs</c>).
/// </summary>
[Collection(TrainingFederationCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class FederatedDropoutTests(TrainingFederation federation)
{
    private static readonly TimeSpan s_runLimit = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FourContributors_OneKilledMidRound2_JobFinishesByItsRoundPolicy_TheDropoutRecoveredFromShares()
    {
        var clock = Stopwatch.StartNew();
        var (id, aggregator, victim) = await KillMidRound2Async("dropout-four", ["FR", "DE", "SE", "GB"]);
        try
        {
            using var de = federation.Client("DE");
            var ended = await EndedAsync(de, id);
            Assert.True(ended["state"]!.GetValue<string>() == "succeeded", $"the job ended {ended.ToJsonString()}");
            Assert.Contains("2 of 2 rounds completed", ended["stateReason"]!.GetValue<string>(), StringComparison.Ordinal);

            // Round 2's unmasking asked the survivors for the victim's mask shares: its masks were rebuilt, never its update.
            using var agg = federation.Client(aggregator);
            var sent = (await AuditAsync(agg, $"DE/{id}")).Where(e => e["detail"]?["direction"]?.GetValue<string>() == "out")
                .Select(e => e["detail"]!["what"]!.GetValue<string>()).ToList();
            Assert.Contains($"unmasking request round 2, masks of dropped {victim} rebuilt from shares", sent);
            var received = await InboundAsync(agg, id, victim);
            Assert.Contains("sealed key shares round 2", received);
            Assert.DoesNotContain("masked update round 2", received);

            // One model: the aggregator's final weights.
            Assert.True(File.Exists(Path.Combine(federation.WorkRoot(aggregator), "DE", id, "model", "weights.f32")), $"the aggregator {aggregator} kept no final model");
        }
        finally
        {
            await federation.RestartAsync(victim);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the dropout test took {clock.Elapsed.TotalSeconds:0} s (aggregator {aggregator}, killed {victim})"));
    }

    [Fact]
    public async Task ThreeContributors_OneKilledMidRound2_RoundWaitsForItsReturn_ThenTheJobSucceeds_AndGbEvaluatesTheModelOnItsCard()
    {
        var clock = Stopwatch.StartNew();
        string[] inputs = ["FR", "DE", "SE"];
        var (id, aggregator, victim) = await KillMidRound2Async("wait-three", inputs, PrivateAndLicensed);
        using var de = federation.Client("DE");
        try
        {
            // The origin's view of the run (what watch and the job show) names the wait and the missing nation.
            var waiting = await Eventually.WaitAsync(
                async () => (await de.GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", Ct))!,
                j => j["stateReason"]?.GetValue<string>()?.Contains($"Waiting for {victim} to return.", StringComparison.Ordinal) == true
                    || j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled",
                s_runLimit, $"the job's reason to say that round 2 waits for {victim}" + federation.Log, TimeSpan.FromSeconds(1));
            Assert.True(waiting["state"]!.GetValue<string>() == "running", $"the job should wait, not end: {waiting.ToJsonString()}");
            Assert.Contains("round 2 of 2", waiting["stateReason"]!.GetValue<string>(), StringComparison.Ordinal);
            using var agg = federation.Client(aggregator);
            Assert.DoesNotContain((await AuditAsync(agg, $"DE/{id}")).Select(e => e["detail"]!["what"]!.GetValue<string>()),
                what => what.StartsWith("unmasking request round 2", StringComparison.Ordinal));
        }
        finally
        {
            await federation.RestartAsync(victim);
        }

        var ended = await EndedAsync(de, id);
        Assert.True(ended["state"]!.GetValue<string>() == "succeeded", $"the job ended {ended.ToJsonString()}");
        using (var agg = federation.Client(aggregator))
        {
            Assert.Contains("masked update round 2", await InboundAsync(agg, id, victim));
        }

        var run = clock.Elapsed;
        await ModelCardShowsTheRunAndAnEvaluationSignedByANationThatDidNotTrainItAsync(id, ended, aggregator, inputs);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the wait test took {clock.Elapsed.TotalSeconds:0} s, of which the card's pull, evaluation and checks {(clock.Elapsed - run).TotalSeconds:0.0} s (aggregator {aggregator}, killed {victim})"));
    }

    // Submits the tour's job on `inputs` with two rounds (its federated terms changed by `federated` when given), holds round 2's local steps, and kills a contributor
    // (neither the origin DE nor the aggregator) once the aggregator has its round-2 key shares; then lets the others train.
    private async Task<(string Id, string Aggregator, string Victim)> KillMidRound2Async(string id, string[] inputs, Action<JsonObject>? federated = null)
    {
        await federation.WaitForTrainingAdvertsAsync("DE", [.. inputs.Where(n => n != "DE")]);
        var job = FederatedTrainingTests.ExampleJob();
        job["id"] = id;
        job["inputs"] = new JsonArray([.. inputs.Select(n => JsonValue.Create($"{n}/patient-outcomes"))]);
        job["federated"]!["rounds"] = 2;
        federated?.Invoke(job["federated"]!.AsObject());

        using var hold = federation.Hold($"/{id}/steps/r2a0/");
        using var de = federation.Client("DE");
        using (var submitted = await de.PostAsJsonAsync("api/v1/jobs", job, Ct))
        {
            Assert.True(submitted.StatusCode == HttpStatusCode.Created, $"submitting {id}: {(int)submitted.StatusCode} {await submitted.Content.ReadAsStringAsync(Ct)}");
        }

        var planned = await Eventually.WaitAsync(
            async () => (await de.GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", Ct))!,
            j => j["nation"] is not null || j["state"]!.GetValue<string>() is "failed" or "cancelled",
            TimeSpan.FromMinutes(1), $"{id} to be placed at an aggregator" + federation.Log, TimeSpan.FromMilliseconds(500));
        var aggregator = planned["nation"]?.GetValue<string>() ?? throw new InvalidOperationException($"{id} was not placed: {planned.ToJsonString()}");
        var victim = inputs.First(n => n != "DE" && n != aggregator);
        using var agg = federation.Client(aggregator);
        await Eventually.WaitAsync(
            () => InboundAsync(agg, id, victim),
            r => r.Contains("sealed key shares round 2"),
            s_runLimit, $"the aggregator {aggregator} to receive {victim}'s key shares of round 2" + federation.Log, TimeSpan.FromMilliseconds(250));
        await federation.KillAsync(victim);
        return (id, aggregator, victim);
    }

    private static async Task<JsonObject> EndedAsync(HttpClient origin, string id) => await Eventually.WaitAsync(
        async () => (await origin.GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", Ct))!,
        j => j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled",
        s_runLimit, $"{id} to end", TimeSpan.FromSeconds(1));

    private static async Task<HashSet<string>> InboundAsync(HttpClient aggregator, string id, string from) =>
        [.. (await AuditAsync(aggregator, $"DE/{id}"))
            .Where(e => e["detail"]?["direction"]?.GetValue<string>() == "in" && e["detail"]?["from"]?.GetValue<string>() == from)
            .Select(e => e["detail"]!["what"]!.GetValue<string>())];

    private static Task<List<JsonObject>> AuditAsync(HttpClient client, string job) => FederatedTrainingTests.AuditAsync(client, job);
}
