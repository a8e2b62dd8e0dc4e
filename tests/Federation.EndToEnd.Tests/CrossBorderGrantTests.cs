using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Silo.Transparency;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Two in-process nations over real mutual TLS: a job submitted in DE on FR's controlled dataset
/// (<c>access.requiresGrant</c>) is refused at FR without a grant (rule <c>data-access-grant</c>, in FR's
/// log and shown by DE as the reason), admitted once FR's committee approved a grant for the DE user
/// (through FR's API), and refused again after the revoke; every step is read back from FR's log, with
/// the user only as FR's digest of the identity DE vouched for.
/// </summary>
public sealed class CrossBorderGrantTests
{
    private const string User = "uni:alice";
    private const string Dataset = "FR/cohort";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
        ["Federation:Peering:AdvertInterval"] = "00:00:01",
        ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
        ["Federation:Transparency:HeadInterval"] = "01:00:00",
        ["Federation:Transparency:PeerCheckInterval"] = "01:00:00",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Job(string id) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = User },
        ["inputs"] = new JsonArray(Dataset),
        ["purpose"] = new JsonObject { ["use"] = "HMB" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 60,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    [Fact]
    public async Task JobFromDe_OnFrControlledData_RefusedWithoutGrant_AdmittedWithFrsGrant_RefusedAfterRevoke_EachInFrsLog()
    {
        await using var nations = await TwoNations.StartAsync(s_settings);
        using var fr = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        using var de = new HttpClient { BaseAddress = new Uri(nations.De.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        await ExpectAsync(await fr.PostAsJsonAsync("api/v1/nodes", new JsonObject { ["id"] = "fr-gpu", ["site"] = "lab", ["accelerator"] = "a100-80gb-sxm", ["count"] = 4, ["leaseSeconds"] = 3600 }, Ct), HttpStatusCode.Created);
        await ExpectAsync(await fr.PostAsJsonAsync("api/v1/nodes/fr-gpu/heartbeat", new JsonObject(), Ct), HttpStatusCode.OK);
        var cohort = FederationFixtures.DatasetBody(Dataset, 1_000_000, new JsonObject { ["kind"] = "homeOnly" }, new JsonObject { ["permission"] = "HMB" });
        cohort["access"] = new JsonObject { ["requiresGrant"] = true };
        await ExpectAsync(await fr.PostAsJsonAsync("api/v1/datasets", cohort, Ct), HttpStatusCode.Created);
        await Eventually.WaitAsync(
            () => FederationFixtures.PeerAsync(de, "FR"),
            p => p?["lastAdvert"]?["accelerators"]?.AsArray().Count > 0,
            s_wait, "DE to hear FR's advert with its accelerators", TimeSpan.FromMilliseconds(200));
        var digest = nations.Fr.Services.GetRequiredService<TransparencyRecorder>().Digest(User);

        // No grant: FR refuses by the grant rule, logs it with the vouched user as subject; DE shows why.
        await ExpectAsync(await de.PostAsJsonAsync("api/v1/jobs", Job("no-grant"), Ct), HttpStatusCode.Created);
        var refused = await EntryAsync(fr, "no-grant", "refusal", "FR's refusal of DE's job without a grant");
        Assert.Equal("data-access-grant", refused["rule"]!.GetValue<string>());
        Assert.Equal(Dataset, refused["dataset"]!.GetValue<string>());
        Assert.Equal("DE", refused["peer"]!.GetValue<string>());
        Assert.Equal(digest, refused["subject"]!.GetValue<string>());
        Assert.Contains("none names the user (subject) of DE", refused["detail"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(User, refused.ToJsonString(), StringComparison.Ordinal);
        await JobSaysAsync(de, "no-grant", $"data-access-grant: dataset FR/cohort needs a data-access grant of FR's data access committee, and none names user '{User}' of DE");

        // FR's committee (FR's nation admin, on its own API) approves a grant naming DE's user.
        var requested = await ExpectAsync(await fr.PostAsJsonAsync("api/v1/datasets/cohort/grants/requests",
            new JsonObject { ["user"] = User, ["nation"] = "DE", ["purpose"] = "HMB", ["justification"] = "cross-border cohort study" }, Ct), HttpStatusCode.Created);
        var grant = requested["id"]!.GetValue<string>();
        var approved = await ExpectAsync(await fr.PostAsJsonAsync($"api/v1/grants/{grant}:approve", new JsonObject { ["validDays"] = 30 }, Ct), HttpStatusCode.OK);
        Assert.Equal("approved", approved["status"]!.GetValue<string>());

        // With it: admitted in FR, the access logged with the grant it used, the job runs there.
        await ExpectAsync(await de.PostAsJsonAsync("api/v1/jobs", Job("with-grant"), Ct), HttpStatusCode.Created);
        var access = await EntryAsync(fr, "with-grant", "data-access", "FR's data-access entry of DE's job with the grant");
        Assert.Equal(grant, access["detail"]!["grant"]!.GetValue<string>());
        Assert.Equal("user", access["detail"]!["grantee"]!.GetValue<string>());
        Assert.Equal(digest, access["subject"]!.GetValue<string>());
        await EntryAsync(fr, "with-grant", "admission", "FR's admission of DE's job with the grant");
        await Eventually.WaitAsync(
            async () => (await de.GetFromJsonAsync<JsonObject>("api/v1/jobs/with-grant", Ct))!,
            j => j["nation"]?.GetValue<string>() == "FR" && j["state"]!.GetValue<string>() is "admitted" or "running" or "succeeded",
            s_wait, "DE's job with the grant to be admitted by FR", TimeSpan.FromMilliseconds(200));

        // Revoked: refused again, the reason naming the revoke.
        var revoked = await ExpectAsync(await fr.PostAsJsonAsync($"api/v1/grants/{grant}:revoke", new JsonObject { ["reason"] = "study ended" }, Ct), HttpStatusCode.OK);
        Assert.Equal("revoked", revoked["status"]!.GetValue<string>());
        await ExpectAsync(await de.PostAsJsonAsync("api/v1/jobs", Job("after-revoke"), Ct), HttpStatusCode.Created);
        var again = await EntryAsync(fr, "after-revoke", "refusal", "FR's refusal of DE's job after the revoke");
        Assert.Equal("data-access-grant", again["rule"]!.GetValue<string>());
        Assert.Contains($"grant {grant} was revoked", again["detail"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(digest, again["subject"]!.GetValue<string>());
        await JobSaysAsync(de, "after-revoke", $"grant {grant} was revoked");

        // The grant's life is in FR's log too.
        var changes = await fr.GetFromJsonAsync<JsonObject>($"api/v1/audit/entries?dataset={Uri.EscapeDataString(Dataset)}&kind=data-access&limit=1000", Ct);
        var grantChanges = changes!["items"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["detail"]!["grant"]?.GetValue<string>() == grant && e["detail"]!["change"] is not null)
            .Select(e => e["detail"]!["change"]!.GetValue<string>());
        Assert.Equal(["grant-approved", "grant-requested", "grant-revoked"], grantChanges.Order(StringComparer.Ordinal));
    }

    // Polls FR's log (its audit API) until an entry of kind for the DE job is there, or the deadline passes naming what was missing.
    private static async Task<JsonObject> EntryAsync(HttpClient nation, string job, string kind, string expectation) =>
        (await Eventually.WaitAsync(
            async () => (await nation.GetFromJsonAsync<JsonObject>($"api/v1/audit/entries?job=DE/{job}&kind={kind}", Ct))!["items"]!.AsArray().OfType<JsonObject>().FirstOrDefault(),
            e => e is not null,
            s_wait,
            expectation,
            TimeSpan.FromMilliseconds(200)))!;

    // Polls DE's job and its decision until the text appears: DE learns of FR's refusal after FR logged it.
    private static async Task JobSaysAsync(HttpClient de, string job, string text) =>
        await Eventually.WaitAsync(
            async () => await de.GetStringAsync($"api/v1/jobs/{job}", Ct) + await de.GetStringAsync($"api/v1/jobs/{job}/decision", Ct),
            seen => seen.Contains(text, StringComparison.Ordinal),
            s_wait,
            $"DE's job {job} to say '{text}'",
            TimeSpan.FromMilliseconds(200));

    private static async Task<JsonObject> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == expected,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
            return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        }
    }
}
