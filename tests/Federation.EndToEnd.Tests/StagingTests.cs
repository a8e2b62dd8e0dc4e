using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Protocol.Wire;
using Federation.Contracts.Ids;
using Federation.Execution;
using Federation.Execution.Staging;
using Federation.Fedctl;
using Federation.Fedctl.Jobs;
using Federation.Testing;
using Federation.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Data staging and the release of logs and outputs between two real nations (FR, DE: PostgreSQL,
/// mutual TLS). FR's own stager copies DE's open data into a job directory over the federation API,
/// verified against DE's catalogue and counted; a file changed at home after registration fails the
/// staging with the checksum and leaves nothing behind; home-only data is never sent. A job on FR-only
/// data keeps its logs and outputs in FR (DE's users get a 403 naming the dataset); on open data DE
/// gets them. The runs are put in place as an executor leaves them (job directory, execution record,
/// job record); the run itself is the executors' part.
/// </summary>
public sealed class StagingTests(StagingNations nations) : IClassFixture<StagingNations>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Bytes(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed))];

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private IDatasetStager FrStager => nations.Fr.Services.GetRequiredService<IDatasetStager>();

    [Fact]
    public async Task Stage_OpenDataFromDe_IntoAJobDirectoryInFr_IsVerifiedCounted_AndNotDownloadedTwice()
    {
        var weather = Bytes(300_000, 1);
        var weatherPath = nations.WriteData("de-open-weather.csv", weather);
        await nations.RegisterAsync("DE/open-weather", "anywhere", weatherPath, weather);
        var local = Bytes(5_000, 2);
        var localPath = nations.WriteData("fr-local.csv", local);
        await nations.RegisterAsync("FR/local-grid", "homeOnly", localPath, local);
        var job = TypedId.Parse<JobRef>("SE/stage-1");
        var directory = JobDirectory.For(nations.JobsRoot, job, 1);

        var result = await FrStager.StageAsync(StagingNations.Spec(job, "DE/open-weather", "FR/local-grid"), directory, Ct);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(weather.Length, result.TransferredBytes);
        var copied = Assert.Single(result.Inputs, i => i.Dataset.Nation.Value == "DE");
        Assert.True(copied.Transferred);
        Assert.Equal(directory.InputPath(copied.Dataset), copied.LocalPath);
        Assert.Equal(weather, await File.ReadAllBytesAsync(copied.LocalPath, Ct));
        var linked = Assert.Single(result.Inputs, i => i.Dataset.Nation.Value == "FR");
        Assert.False(linked.Transferred);
        Assert.Equal(local.Length, linked.Bytes);
        Assert.Equal(localPath, new FileInfo(linked.LocalPath).LinkTarget);
        Assert.Equal(local, await File.ReadAllBytesAsync(linked.LocalPath, Ct));
        Assert.Contains("DE/open-weather copied from DE, 300000 bytes", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(System.IO.Directory.EnumerateFiles(directory.Inputs, "*", SearchOption.AllDirectories), f => f.Contains(".partial", StringComparison.Ordinal));

        // The bytes crossed the border: an artifact-transfer entry on each side, with the same request id.
        var fetched = await TransferAsync(nations.Fr, "DE/open-weather", "FR to log its copy of DE/open-weather");
        Assert.Equal("SE/stage-1", fetched.Job);
        Assert.Equal("DE", fetched.Peer);
        Assert.Equal("in", fetched.Detail["direction"]);
        Assert.Equal("complete", fetched.Detail["status"]);
        Assert.Equal("300000", fetched.Detail["bytes"]);
        Assert.Equal("300000", fetched.Detail["size"]);
        Assert.Equal(Sha(weather), fetched.Detail["sha256"]);
        var served = await TransferAsync(nations.De, "DE/open-weather", "DE to log serving DE/open-weather to FR");
        Assert.Equal("FR", served.Peer);
        Assert.Equal("out", served.Detail["direction"]);
        Assert.Equal("complete", served.Detail["status"]);
        Assert.Equal("300000", served.Detail["bytes"]);
        Assert.Equal(Sha(weather), served.Detail["sha256"]);
        Assert.Equal(fetched.Detail["request"], served.Detail["request"]);

        // Staged again (a restarted silo): the verified copy is kept, nothing is asked of DE; the file at home may even be gone.
        File.Move(weatherPath, weatherPath + ".away");
        var again = await FrStager.StageAsync(StagingNations.Spec(job, "DE/open-weather", "FR/local-grid"), directory, Ct);
        File.Move(weatherPath + ".away", weatherPath);
        Assert.True(again.Succeeded, again.Reason);
        Assert.Equal(weather.Length, again.TransferredBytes);
        Assert.Contains("DE/open-weather copied from DE before", again.Reason, StringComparison.Ordinal);
        Assert.Equal(weather, await File.ReadAllBytesAsync(directory.InputPath(copied.Dataset), Ct));
        Assert.Single(await TransfersAsync(nations.Fr, "DE/open-weather"));
        Assert.Single(await TransfersAsync(nations.De, "DE/open-weather"));
    }

    private static async Task<IReadOnlyList<TransparencyEntry>> TransfersAsync(NationUnderTest nation, string dataset) =>
        [.. (await nation.Services.GetRequiredService<ITransparencyLog>().QueryAsync(new TransparencyQuery(Dataset: dataset, Kind: TransparencyEntryKind.ArtifactTransfer), Ct))
            .Select(row => TransparencyEntryEncoding.Decode(row.Bytes).Entry)];

    // The entry is appended after the transfer, off its path: wait for it with a deadline.
    private static async Task<TransparencyEntry> TransferAsync(NationUnderTest nation, string dataset, string expectation) =>
        Assert.Single(await Eventually.WaitAsync(() => TransfersAsync(nation, dataset), e => e.Count > 0, TimeSpan.FromSeconds(30), expectation, TimeSpan.FromMilliseconds(100)));

    [Fact]
    public async Task Stage_WhenTheHomesFileChangedAfterRegistration_RefusedByTheHomeWithTheChecksum_AndLeavesNoPartialFile()
    {
        var registered = Bytes(200_000, 3);
        var path = nations.WriteData("de-changing.bin", registered);
        await nations.RegisterAsync("DE/changing", "anywhere", path, registered);
        var changed = Bytes(200_000, 4);
        await File.WriteAllBytesAsync(path, changed, Ct);
        var job = TypedId.Parse<JobRef>("SE/stage-2");
        var directory = JobDirectory.For(nations.JobsRoot, job, 1);

        var result = await FrStager.StageAsync(StagingNations.Spec(job, "DE/changing"), directory, Ct);

        // The home sends only the bytes its catalogue describes (issue 13: it used to send them and leave the check to the receiver).
        var refusal = $"DE refused the content of DE/changing: the file of DE/changing does not match its catalogue entry (size 200000 bytes, sha256 {Sha(registered)}); DE serves it again once it is registered anew";
        Assert.False(result.Succeeded);
        Assert.Equal(refusal, result.Reason);
        Assert.Equal(0, result.TransferredBytes);
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(directory.Inputs));

        // Larger than its catalogue states: refused too, nothing kept either.
        await File.WriteAllBytesAsync(path, Bytes(250_000, 3), Ct);
        var grown = await FrStager.StageAsync(StagingNations.Spec(job, "DE/changing"), directory, Ct);
        Assert.False(grown.Succeeded);
        Assert.Equal(refusal, grown.Reason);
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(directory.Inputs));
    }

    [Fact]
    public async Task Content_OfHomeOnlyData_IsRefusedToAnotherNation_OpenDataComesWithItsDigestAndRanges()
    {
        var cohort = Bytes(10_000, 5);
        await nations.RegisterAsync("DE/de-cohort", "homeOnly", nations.WriteData("de-cohort.parquet", cohort), cohort);
        var open = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 1000).Select(i => $"row {i}\n")));
        await nations.RegisterAsync("DE/open-rows", "anywhere", nations.WriteData("de-open-rows.csv", open), open);
        await nations.RegisterAsync("DE/in-bucket", "anywhere", "s3://de/in-bucket", open);
        using var fr = nations.Peer("FR", "DE");

        // DE, the data's home, refuses FR: the dataset and its rule are named.
        using (var refused = await GetAsync(fr, "federation/v1/catalogue/datasets/de-cohort/content"))
        {
            var problem = await ProblemAsync(refused, HttpStatusCode.Forbidden);
            Assert.Equal("DE/de-cohort may be processed only in DE: its content is not sent to FR; run the work in DE instead", problem["detail"]!.GetValue<string>());
            Assert.Equal("DE/de-cohort", problem["dataset"]!.GetValue<string>());
        }

        var staged = await FrStager.StageAsync(StagingNations.Spec(TypedId.Parse<JobRef>("SE/stage-3"), "DE/de-cohort"), JobDirectory.For(nations.JobsRoot, TypedId.Parse<JobRef>("SE/stage-3"), 1), Ct);
        Assert.False(staged.Succeeded);
        Assert.Equal("cannot stage DE/de-cohort: it may be processed only in DE, not in FR", staged.Reason);

        // Open data: the bytes, their length and sha256; one range.
        using (var whole = await GetAsync(fr, "federation/v1/catalogue/datasets/open-rows/content"))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(open.Length, whole.Content.Headers.ContentLength);
            Assert.Equal(Sha(open), whole.Headers.GetValues("X-Content-Sha256").Single());
            Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(open))}:", whole.Headers.GetValues("Repr-Digest").Single());
            Assert.Equal(open, await whole.Content.ReadAsByteArrayAsync(Ct));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "federation/v1/catalogue/datasets/open-rows/content").WithRequestId(Guid.NewGuid()))
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(6, 11);
            using var part = await fr.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal($"bytes 6-11/{open.Length}", part.Content.Headers.ContentRange!.ToString());
            Assert.Equal("row 1\n", await part.Content.ReadAsStringAsync(Ct));
        }

        // Both served, both in DE's log: the whole file and the range, each with the bytes that left; the refusal moved none.
        var served = await Eventually.WaitAsync(() => TransfersAsync(nations.De, "DE/open-rows"), e => e.Count >= 2, TimeSpan.FromSeconds(30), "DE to log both transfers of DE/open-rows");
        Assert.Equal(new[] { "complete:" + open.Length, "partial:6" }, served.Select(e => $"{e.Detail["status"]}:{e.Detail["bytes"]}").Order(StringComparer.Ordinal));
        Assert.All(served, e => Assert.Equal(("FR", "out", Sha(open)), (e.Peer, e.Detail["direction"], e.Detail["sha256"])));
        Assert.Empty(await TransfersAsync(nations.De, "DE/de-cohort"));

        using (var unknown = await GetAsync(fr, "federation/v1/catalogue/datasets/no-such/content"))
        {
            await ProblemAsync(unknown, HttpStatusCode.NotFound);
        }

        using var bucket = await GetAsync(fr, "federation/v1/catalogue/datasets/in-bucket/content");
        var notLocal = await ProblemAsync(bucket, HttpStatusCode.Conflict);
        Assert.DoesNotContain("s3://de", notLocal.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsAndOutputs_OfAJobOnFrOnlyData_CannotBeFetchedFromDe_OnOpenDataTheyCan()
    {
        var health = Bytes(1_000, 6);
        await nations.RegisterAsync("FR/health-cohort", "homeOnly", nations.WriteData("fr-health.parquet", health), health);
        var weather = Bytes(1_000, 7);
        await nations.RegisterAsync("DE/open-climate", "anywhere", nations.WriteData("de-open-climate.csv", weather), weather);
        var model = Bytes(50_000, 8);
        var outputs = new Dictionary<string, byte[]> { ["model.bin"] = model, ["metrics/final.json"] = Encoding.UTF8.GetBytes("{\"auc\":0.9}") };
        var closed = TypedId.Parse<JobRef>("DE/job-7");
        var open = TypedId.Parse<JobRef>("DE/job-8");
        await nations.SeedRunAsync("FR", closed, StagingNations.Spec(closed, "FR/health-cohort"), "patient 17: loss 0.4\ndone\n", outputs);
        await nations.SeedRunAsync("FR", open, StagingNations.Spec(open, "DE/open-climate"), "epoch 1\nepoch 2\ndone\n", outputs);
        using var de = nations.Api("DE");

        // FR-only data: nothing of it leaves FR; DE's users are told where it stays and where to ask.
        const string Expected = "outputs of DE/job-7 stay in FR: it read FR/health-cohort, which may be processed only in FR; FR's operators can read them at GET /api/v1/executions/DE/job-7/1/outputs";
        using (var listing = await de.GetAsync("api/v1/jobs/job-7/outputs", Ct))
        {
            var problem = await ProblemAsync(listing, HttpStatusCode.Forbidden);
            Assert.Equal(Expected, problem["detail"]!.GetValue<string>());
            Assert.Equal("FR", problem["withheldIn"]!.GetValue<string>());
            Assert.Equal("FR/health-cohort", problem["dataset"]!.GetValue<string>());
        }

        using (var file = await de.GetAsync("api/v1/jobs/job-7/outputs/model.bin", Ct))
        {
            Assert.Equal(Expected, (await ProblemAsync(file, HttpStatusCode.Forbidden))["detail"]!.GetValue<string>());
        }

        using (var log = await de.GetAsync("api/v1/jobs/job-7/logs/stdout", Ct))
        {
            Assert.StartsWith("logs of DE/job-7 stay in FR: it read FR/health-cohort", (await ProblemAsync(log, HttpStatusCode.Forbidden))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (exit, output, error) = await FedctlAsync("jobs", "outputs", "job-7");
        Assert.True(exit == JobFileCommands.Withheld, $"exit {exit}: {output} {error}");
        Assert.Contains(Expected, error, StringComparison.Ordinal);

        // FR's operators read them at home.
        using var fr = nations.Api("FR");
        Assert.Equal("done\n", await fr.GetStringAsync("api/v1/executions/DE/job-7/1/logs/stdout?tail=1", Ct));
        Assert.Equal(model, await fr.GetByteArrayAsync("api/v1/executions/DE/job-7/1/outputs/model.bin", Ct));

        // Open data: DE gets the logs and outputs of its job from FR.
        Assert.Equal("epoch 2\ndone\n", await de.GetStringAsync("api/v1/jobs/job-8/logs/stdout?tail=2", Ct));
        var items = JsonNode.Parse(await de.GetStringAsync("api/v1/jobs/job-8/outputs", Ct))!;
        Assert.Equal("FR", items["nation"]!.GetValue<string>());
        Assert.Equal(["metrics/final.json", "model.bin"], items["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        using (var file = await de.GetAsync("api/v1/jobs/job-8/outputs/model.bin", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(Sha(model), file.Headers.GetValues("X-Content-Sha256").Single());
            Assert.Equal(model, await file.Content.ReadAsByteArrayAsync(Ct));
        }

        var target = Path.Combine(nations.Directory, "model-from-fr.bin");
        var (getExit, getOutput, getError) = await FedctlAsync("jobs", "outputs", "job-8", "--get", "model.bin", "--to", target);
        Assert.True(getExit == ExitCodes.Ok, $"exit {getExit}: {getOutput} {getError}");
        Assert.Equal(model, await File.ReadAllBytesAsync(target, Ct));

        // Only the job's origin may ask the executing nation, and not for a run it never had.
        using var deToFr = nations.Peer("DE", "FR");
        using (var foreign = await GetAsync(deToFr, "federation/v1/jobs/FR/job-9/1/outputs"))
        {
            Assert.Equal("DE may read the logs and outputs of its own jobs only; FR/job-9 belongs to FR", (await ProblemAsync(foreign, HttpStatusCode.Forbidden))["detail"]!.GetValue<string>());
        }

        using (var never = await GetAsync(deToFr, "federation/v1/jobs/DE/job-6/1/outputs"))
        {
            await ProblemAsync(never, HttpStatusCode.NotFound);
        }

        using var traversal = await GetAsync(deToFr, "federation/v1/jobs/DE/job-8/1/outputs/..%2F..%2Fjob-7%2Fe1%2Fstdout.log");
        await ProblemAsync(traversal, HttpStatusCode.BadRequest);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient peer, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path).WithRequestId(Guid.NewGuid());
        return await peer.SendAsync(request, Ct);
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status} from {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task<(int Exit, string Output, string Error)> FedctlAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?>
        {
            ["FEDCTL_CONFIG"] = Path.Combine(nations.Directory, "no-fedctl-config.json"),
            ["FEDCTL_URL"] = nations.De.ApiUrl,
            ["FEDCTL_TOKEN"] = StagingNations.Token,
        };
        var exit = await FedctlApp.RunAsync(args, output, error, TextReader.Null, environment, Ct);
        return (exit, output.ToString(), error.ToString());
    }
}
