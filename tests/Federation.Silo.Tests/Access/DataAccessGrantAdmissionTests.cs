using System.Net;
using System.Text.Json.Nodes;
using Federation.Silo.Transparency;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Access;

/// <summary>
/// A controlled dataset (access.requiresGrant) on a PostgreSQL nation that runs its own jobs: a job
/// on it is refused at the home without a grant, admitted with an approved one, refused again after
/// the grant is revoked; each decision and each grant change is read back from the transparency log,
/// with the user only as its digest.
/// </summary>
public sealed class DataAccessGrantAdmissionTests : IAsyncLifetime
{
    private const string User = "uni:alice";
    private const string Dataset = "FR/cohort";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private PostgresTestDatabase _database = null!;
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => _silo.Client;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("grants");
        _silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["Federation:Nation:Code"] = "FR",
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Executor:ProgressSeconds"] = "0.2",
            ["Federation:Jobs:ReplanSeconds"] = "0.5",
        });
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-grants", leaseSeconds: 3600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/nodes/gpu-grants/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
        var dataset = Payloads.Dataset("cohort");
        dataset["dataUse"] = new JsonObject { ["permission"] = "HMB" };
        dataset["access"] = new JsonObject { ["requiresGrant"] = true };
        var created = await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(dataset), Ct), HttpStatusCode.Created);
        Assert.True(created["spec"]!["access"]!["requiresGrant"]!.GetValue<bool>());
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
    }

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

    // Polls the log through the audit API until an entry of the job of that kind is there (or the deadline passes, naming what was missing).
    private async Task<JsonObject> AwaitEntryAsync(string job, string kind, string phase, bool ofDataset = true)
    {
        var filter = ofDataset ? $"&dataset={Uri.EscapeDataString(Dataset)}" : "";
        var deadline = DateTimeOffset.UtcNow + s_wait;
        while (true)
        {
            var page = await Http.ExpectAsync(await Client.GetAsync($"/api/v1/audit/entries?job=FR/{job}{filter}&kind={kind}", Ct), HttpStatusCode.OK);
            if (page["items"]!.AsArray().FirstOrDefault() is JsonObject entry)
            {
                return entry;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{phase}: no {kind} entry for FR/{job}{(ofDataset ? $" on {Dataset}" : "")} in the log after {s_wait.TotalSeconds} s");
            await Task.Delay(200, Ct);
        }
    }

    // Polls the job and its events until the text appears: the origin learns of the refusal after the home logged it.
    private async Task AwaitJobSaysAsync(string job, string text)
    {
        var deadline = DateTimeOffset.UtcNow + s_wait;
        while (true)
        {
            var seen = await Client.GetStringAsync($"/api/v1/jobs/{job}", Ct) + await Client.GetStringAsync($"/api/v1/jobs/{job}/decision", Ct);
            if (seen.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"job {job} does not say '{text}' after {s_wait.TotalSeconds} s; it says: {seen}");
            await Task.Delay(200, Ct);
        }
    }

    private async Task<List<string>> GrantChangesAsync()
    {
        var page = await Http.ExpectAsync(await Client.GetAsync($"/api/v1/audit/entries?dataset={Uri.EscapeDataString(Dataset)}&kind=data-access&limit=1000", Ct), HttpStatusCode.OK);
        return [.. page["items"]!.AsArray().Select(e => e!["detail"]!["change"]?.GetValue<string>()).OfType<string>()];
    }

    [Fact]
    public async Task ControlledDataset_RefusedWithoutGrant_AdmittedWithGrant_RefusedAfterRevoke_EachLogged()
    {
        var digest = _silo.Services.GetRequiredService<TransparencyRecorder>().Digest(User);

        // No grant: the home refuses, naming the rule; the job says why it waits.
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("no-grant")), Ct), HttpStatusCode.Created);
        var refused = await AwaitEntryAsync("no-grant", "refusal", "without a grant");
        Assert.Equal("data-access-grant", refused["rule"]!.GetValue<string>());
        Assert.Equal(digest, refused["subject"]!.GetValue<string>());
        Assert.Contains("none names the user (subject)", refused["detail"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(User, refused.ToJsonString(), StringComparison.Ordinal);
        await AwaitJobSaysAsync("no-grant", "data-access-grant: dataset FR/cohort needs a data-access grant");

        // Requested, then approved by the nation admin as the committee: signed, with an expiry.
        var requested = await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets/cohort/grants/requests",
            Payloads.Json(new JsonObject { ["user"] = User, ["purpose"] = "HMB", ["justification"] = "cohort study" }), Ct), HttpStatusCode.Created);
        var id = requested["id"]!.GetValue<string>();
        Assert.Equal("requested", requested["status"]!.GetValue<string>());
        var approved = await Http.ExpectAsync(await Client.PostAsync($"/api/v1/grants/{id}:approve", Payloads.Json(new JsonObject { ["validDays"] = 30 }), Ct), HttpStatusCode.OK);
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(approved["signature"]?.GetValue<string>()));
        await Http.ExpectProblemAsync(await Client.PostAsync($"/api/v1/grants/{id}:approve", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.Conflict);

        // With the grant: admitted, the access logged with the grant it used.
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("with-grant")), Ct), HttpStatusCode.Created);
        var access = await AwaitEntryAsync("with-grant", "data-access", "with a grant");
        Assert.Equal(id, access["detail"]!["grant"]!.GetValue<string>());
        Assert.Equal(digest, access["subject"]!.GetValue<string>());
        await AwaitEntryAsync("with-grant", "admission", "with a grant (the execution's admission)", ofDataset: false);

        // Revoked: refused again, saying so.
        var revoked = await Http.ExpectAsync(await Client.PostAsync($"/api/v1/grants/{id}:revoke", Payloads.Json(new JsonObject { ["reason"] = "study ended" }), Ct), HttpStatusCode.OK);
        Assert.Equal("revoked", revoked["status"]!.GetValue<string>());
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("after-revoke")), Ct), HttpStatusCode.Created);
        var again = await AwaitEntryAsync("after-revoke", "refusal", "after the revoke");
        Assert.Equal("data-access-grant", again["rule"]!.GetValue<string>());
        Assert.Contains($"grant {id} was revoked", again["detail"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(["grant-requested", "grant-approved", "grant-revoked"], await GrantChangesAsync());
        var listed = await Http.ExpectAsync(await Client.GetAsync("/api/v1/grants?dataset=cohort", Ct), HttpStatusCode.OK);
        Assert.Equal([id], listed.AsArray().Select(g => g!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Request_BadInput_NamesTheField()
    {
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets/cohort/grants/requests", Payloads.Json(new JsonObject { ["purpose"] = "XYZ" }), Ct), "purpose");
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets/cohort/grants/requests", Payloads.Json(new JsonObject { ["purpose"] = "DS" }), Ct), "diseaseTerm");
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets/cohort/grants/requests",
            Payloads.Json(new JsonObject { ["purpose"] = "HMB", ["user"] = User, ["consortium"] = "c1" }), Ct), "consortium");
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets/cohort/grants/requests",
            Payloads.Json(new JsonObject { ["purpose"] = "HMB", ["nation"] = "not a nation" }), Ct), "nation");
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/datasets/missing/grants/requests", Payloads.Json(new JsonObject { ["purpose"] = "HMB" }), Ct), HttpStatusCode.NotFound);
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/grants/dag-0123456789abcdef:revoke", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.NotFound);
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/grants/dag-missing:revoke", Payloads.Json(new JsonObject()), Ct), "id");

        var open = Payloads.Dataset("open-data");
        open["dataUse"] = new JsonObject { ["permission"] = "GRU" };
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(open), Ct), HttpStatusCode.Created);
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets/open-data/grants/requests", Payloads.Json(new JsonObject { ["purpose"] = "HMB" }), Ct), "id");

        var requested = await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets/cohort/grants/requests", Payloads.Json(new JsonObject { ["purpose"] = "HMB" }), Ct), HttpStatusCode.Created);
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync($"/api/v1/grants/{requested["id"]!.GetValue<string>()}:approve", Payloads.Json(new JsonObject { ["validDays"] = 0 }), Ct), "validDays");
    }
}
