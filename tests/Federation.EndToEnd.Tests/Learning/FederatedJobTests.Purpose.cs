using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.EndToEnd.Tests.Learning;

/// <summary>The job's purpose on the invitation: a contributor re-checks it against its own catalogue's data-use conditions.</summary>
public sealed partial class FederatedJobTests
{
    [Fact]
    public async Task FederatedJob_ContributorWhoseDataUseNoLongerAllowsThePurpose_RefusesTheInvitation_AndTheJobSaysWhy()
    {
        const string Id = "fed-purpose";
        var gates = federation.Learning.Values.Select(l => l.Gate($"DE/{Id}")).ToList();
        using var de = federation.Client("DE");

        // Admitted under HMB at the aggregator, whose run waits for its initial model: the steward of another data nation now asks for ethics approval (IRB), which the job does not state.
        var (aggregator, refusing) = await SubmitUntilAdmittedAsync(de, Id, FederatedJobNations.Cohort);
        var irb = new JsonObject { ["permission"] = "HMB", ["modifiers"] = new JsonArray("IRB") };
        await UpdateDatasetAsync(refusing, FederatedJobNations.Cohort, FederatedJobNations.DatasetBody(refusing, "maskedUpdates", FederatedJobNations.Cohort, irb));

        gates.ForEach(g => g.TrySetResult());
        var ended = await WaitEndedAsync(de, Id, "the job to end once a contributor refused the purpose");
        var reason = ended["stateReason"]?.GetValue<string>() ?? ended.ToJsonString();
        Assert.Equal("failed", ended["state"]!.GetValue<string>());
        Assert.Contains($"{refusing} refused to take part", reason, StringComparison.Ordinal);
        Assert.Contains($"dataset {refusing}/{FederatedJobNations.Cohort}: IRB", reason, StringComparison.Ordinal);
        Assert.Contains($"checked by {refusing} against its own catalogue", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(federation.Learning[refusing].Steps, s => s.Job.ToString() == $"DE/{Id}");

        // The origin's events say it too.
        var events = await WatchAsync(de, Id);
        Assert.True(events.Any(e => e["message"]?.GetValue<string>().Contains($"dataset {refusing}/{FederatedJobNations.Cohort}: IRB", StringComparison.Ordinal) == true),
            $"no event of {Id} names the unmet IRB term: {Messages(events)}");
    }

    /// <summary>Submits the federated job <paramref name="id"/> on <paramref name="dataset"/> in DE and waits until its aggregator admitted it; returns the aggregator and another data nation.</summary>
    private static async Task<(string Aggregator, string Other)> SubmitUntilAdmittedAsync(HttpClient de, string id, string dataset)
    {
        await FederatedJobNations.ExpectAsync(await de.PostAsJsonAsync("api/v1/jobs", Job(id, "stop", dataset), Ct), HttpStatusCode.Created);
        var admitted = await Eventually.WaitAsync(
            async () => (await de.GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", Ct))!,
            j => j["nation"] is not null && j["state"]!.GetValue<string>() is "admitted" or "running",
            s_wait, $"the federated job {id} to be admitted at its aggregator", TimeSpan.FromMilliseconds(200));
        var aggregator = admitted["nation"]!.GetValue<string>();
        return (aggregator, s_dataNations.First(c => c != aggregator));
    }

    /// <summary>The steward of <paramref name="nation"/> replaces version 1 of its <paramref name="dataset"/> with <paramref name="body"/>.</summary>
    private async Task UpdateDatasetAsync(string nation, string dataset, JsonObject body)
    {
        using var steward = federation.Client(nation);
        using var update = new HttpRequestMessage(HttpMethod.Put, $"api/v1/datasets/{dataset}") { Content = JsonContent.Create(body) };
        update.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        await FederatedJobNations.ExpectAsync(await steward.SendAsync(update, Ct), HttpStatusCode.OK);
    }

    /// <summary>The job <paramref name="id"/> at DE once it ended.</summary>
    private static Task<JsonObject> WaitEndedAsync(HttpClient de, string id, string expectation) =>
        Eventually.WaitAsync(
            async () => (await de.GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", Ct))!,
            j => j["state"]!.GetValue<string>() is "failed" or "succeeded" or "cancelled",
            s_wait, expectation, TimeSpan.FromMilliseconds(200))!;
}
