using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Silo.Jobs;
using Federation.Testing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// <c>MaxForeignShare</c> holds when foreign offers are decided at the same moment: one embedded nation of
/// 8 accelerators lets foreign jobs hold half of them; eight offers of one accelerator each from a peer,
/// all sent at once, get four admissions, because each offer that fits is counted by the capacity
/// ledger while the others are decided, before any of them holds its accelerator. A refused offer is
/// not counted, and a foreign run that ends gives its place back.
/// </summary>
public sealed class ForeignShareSiloTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Foreign => EmbeddedOffers.PeerOf(_silo);

    public async ValueTask InitializeAsync()
    {
        _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Nation:MaxForeignShare"] = "0.5",
        });
        var node = Payloads.Node("gpu-a", leaseSeconds: 3600);
        node["count"] = 8;
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(node), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/nodes/gpu-a/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    private Task<Admission> OfferAsync(string id, string workload = "demo-train") =>
        EmbeddedOffers.OfferAsync(_silo, Foreign, EmbeddedOffers.LongSpec(id, 1, workload));

    private async Task<string> StateAsync(string id) =>
        (await Http.ExpectAsync(await _silo.Client.GetAsync($"/api/v1/executions/{Foreign}/{id}/1", Ct), HttpStatusCode.OK))["state"]!.GetValue<string>();

    [Fact]
    public async Task OffersDecidedAtOnce_AreAdmittedUpToTheForeignShare_AndARefusedOneLeavesNoClaim()
    {
        // Refused for its workload after its claim was counted: the claim must go with the refusal.
        var refused = await OfferAsync("not-allowed", workload: "other-train");
        Assert.False(refused.Admitted);
        Assert.DoesNotContain("foreign share", refused.Reason, StringComparison.Ordinal);

        var ids = Enumerable.Range(1, 8).Select(i => $"at-once-{i}").ToList();
        var answers = await Task.WhenAll(ids.Select(id => OfferAsync(id)));

        var admitted = ids.Where((_, i) => answers[i].Admitted).ToList();
        Assert.True(admitted.Count == 4, $"{admitted.Count} of 8 offers decided at once were admitted, where foreign jobs may hold 4 of 8 accelerators: {string.Join("; ", answers.Select(a => a.Reason))}");
        Assert.All(answers.Where(a => !a.Admitted), a => Assert.Contains("over its foreign share of 50", a.Reason, StringComparison.Ordinal));

        // The admitted ones run (each holds its accelerator); one more is still refused.
        var watch = Stopwatch.StartNew();
        foreach (var id in admitted)
        {
            while (await StateAsync(id) != "running")
            {
                Assert.True(watch.Elapsed < s_wait, $"{Foreign}/{id} was admitted but not running within {s_wait.TotalSeconds} s");
                await Task.Delay(50, Ct);
            }
        }

        Assert.False((await OfferAsync("one-more")).Admitted);

        // One ends (its origin cancels it): its accelerator is the foreign share's again.
        var cancelled = new JobCancellation(TypedId.Parse<JobRef>($"{Foreign}/{admitted[0]}"), 1, "the origin cancelled it", Fenced: false);
        Assert.IsType<NoContent>(await JobFederationEndpoints.HandleCancellationAsync(cancelled, TypedId.Parse<NationCode>(Foreign), _silo.Services));
        while ((await OfferAsync($"after-end-{watch.ElapsedMilliseconds}")) is { Admitted: false } answer)
        {
            Assert.True(watch.Elapsed < s_wait, $"no foreign offer admitted within {s_wait.TotalSeconds} s of a foreign run's end: {answer.Reason}");
            await Task.Delay(50, Ct);
        }
    }
}
