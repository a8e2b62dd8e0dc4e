using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// FR and DE for <see cref="FairShareFederationTests"/>, launched once for the class: FR has 5 H100s (the only
/// accelerators the scenario's jobs fit), DE one L4 (it contributes, so it has an entitlement, but runs none of
/// them). Entitlements follow contributions: FR 5/6, DE 1/6. Foreign work of a nation whose factor is under 0.5
/// (over its entitlement) is refused when it would queue and borrows only idle accelerators; consortia climate
/// and health hold at most 2 of FR's 5 each while others wait; 1 accelerator is the student tier's; a reclaim
/// gives borrowed runs back within <see cref="Grace"/> (each signalled to checkpoint 1 s before it is stopped) and lends nothing for <see cref="Hold"/> after. One
/// estimated hour runs in 100 s; adverts and usage reports every second.
/// </summary>
public sealed class FairShareNations : IAsyncLifetime
{
    /// <summary>The reclaim grace FR states: every reclaimed accelerator is back within it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>How long after the reclaimed accelerators are back FR lends nothing (<c>ReclaimHoldSeconds</c>).</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(2);

    /// <summary>The accelerator model every job of the scenario asks for; only FR has it.</summary>
    public const string Model = "h100-sxm";

    private TwoNations? _nations;

    /// <summary>The nations.</summary>
    public TwoNations Nations => _nations ?? throw new InvalidOperationException("The nations have not been started.");

    /// <summary>FR's user API.</summary>
    public HttpClient Fr { get; private set; } = null!;

    /// <summary>DE's user API.</summary>
    public HttpClient De { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var seconds = (TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        _nations = await TwoNations.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Peering:AdvertInterval"] = "00:00:01",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "100",
            ["Federation:Executor:ProgressSeconds"] = "0.5",
            // Runs of 2 s here: their ends are seen within a quarter of a second, as time is scaled.
            ["Federation:Executor:PollSeconds"] = "0.25",
            ["Federation:Jobs:ReplanSeconds"] = "0.5",
            ["Federation:Shares:ReportInterval"] = "00:00:01",
            ["Federation:Shares:RefuseBelowFactor"] = "0.5",
            // Fair share alone decides how much of FR foreign work holds (the default foreign share, 50 %, would cap DE first).
            ["Federation:Nation:MaxForeignShare"] = "1",
            ["Federation:Shares:StudentQuota"] = "0.2",
            ["Federation:Shares:StudentMaxWalltimeMinutes"] = "60",
            ["Federation:Shares:ConsortiumQuotas:climate"] = "0.4",
            ["Federation:Shares:ConsortiumQuotas:health"] = "0.4",
            ["Federation:Shares:ReclaimGraceSeconds"] = seconds(Grace),
            ["Federation:Shares:ReclaimHoldSeconds"] = seconds(Hold),
            ["Federation:Shares:CheckpointGraceSeconds"] = "1",
        });
        Fr = new HttpClient { BaseAddress = new Uri(_nations.Fr.ApiUrl + "/") };
        De = new HttpClient { BaseAddress = new Uri(_nations.De.ApiUrl + "/") };
        var ct = TestContext.Current.CancellationToken;
        foreach (var (api, node, model, count) in new[] { (De, "fair-de-l4", "l4", 1), (Fr, "fair-fr-h100", Model, 5) })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("api/v1/nodes", new JsonObject { ["id"] = node, ["site"] = "lab", ["accelerator"] = model, ["count"] = count, ["leaseSeconds"] = 3600 }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"api/v1/nodes/{node}/heartbeat", new JsonObject(), ct)).StatusCode);
        }

        // Each sees the other's advert (DE's contribution is FR's bound on DE's entitlement; FR's H100s are where DE routes).
        await Eventually.WaitAsync(() => FederationFixtures.PeerAsync(Fr, "DE"), p => p?["lastAdvert"]?["accelerators"]?.AsArray().Sum(a => a!["total"]!.GetValue<int>()) == 1,
            TimeSpan.FromSeconds(30), "FR holds DE's advert with its one L4", TimeSpan.FromMilliseconds(200));
        await Eventually.WaitAsync(() => FederationFixtures.PeerAsync(De, "FR"), p => p?["lastAdvert"]?["accelerators"]?.AsArray().Any(a => a!["slug"]!.GetValue<string>() == Model && a["free"]!.GetValue<int>() == 5) == true,
            TimeSpan.FromSeconds(30), "DE holds FR's advert with its 5 H100s free", TimeSpan.FromMilliseconds(200));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Fr?.Dispose();
        De?.Dispose();
        if (_nations is not null)
        {
            await _nations.DisposeAsync();
        }
    }
}
