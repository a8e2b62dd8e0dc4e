using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// The logs and outputs of a job that ran in FR, fetched by its origin DE: each file that crossed the
/// border is an <c>artifact-transfer</c> entry in both logs (FR out, DE in) naming the file, the
/// nations, the bytes and their SHA-256, with one request id; a listing is not a transfer, and what FR
/// withholds moves nothing and is logged as no transfer.
/// </summary>
public sealed class JobFileTransferEntryTests(StagingNations nations) : IClassFixture<StagingNations>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task OutputAndLogFetchedByTheOrigin_OneTransferEntryEachSide_SameRequestAndDigest()
    {
        var open = Enumerable.Range(0, 500).Select(i => (byte)i).ToArray();
        await nations.RegisterAsync("DE/open-transfer", "anywhere", nations.WriteData("de-open-transfer.csv", open), open);
        var closed = Enumerable.Range(0, 500).Select(i => (byte)(i * 7)).ToArray();
        await nations.RegisterAsync("FR/closed-transfer", "homeOnly", nations.WriteData("fr-closed-transfer.parquet", closed), closed);
        var model = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 13)).ToArray();
        var outputs = new Dictionary<string, byte[]> { ["model.bin"] = model };
        var job = TypedId.Parse<JobRef>("DE/job-31");
        var kept = TypedId.Parse<JobRef>("DE/job-32");
        await nations.SeedRunAsync("FR", job, StagingNations.Spec(job, "DE/open-transfer"), "epoch 1\nepoch 2\ndone\n", outputs);
        await nations.SeedRunAsync("FR", kept, StagingNations.Spec(kept, "FR/closed-transfer"), "patient 3\n", outputs);
        using var de = nations.Api("DE");
        using var fr = nations.Api("FR");

        Assert.Equal(model, await de.GetByteArrayAsync("api/v1/jobs/job-31/outputs/model.bin", Ct));
        Assert.Equal("done\n", await de.GetStringAsync("api/v1/jobs/job-31/logs/stdout?tail=1", Ct));
        Assert.Equal(HttpStatusCode.OK, (await de.GetAsync("api/v1/jobs/job-31/outputs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await de.GetAsync("api/v1/jobs/job-32/outputs/model.bin", Ct)).StatusCode);

        var received = await TransfersAsync(de, "DE/job-31", 2, "DE to log the output and the log it received from FR");
        var served = await TransfersAsync(fr, "DE/job-31", 2, "FR to log the output and the log it served to DE");
        foreach (var (side, entries, direction, peer) in new[] { ("DE", received, "in", "FR"), ("FR", served, "out", "DE") })
        {
            var output = Assert.Single(entries, e => Detail(e, "artifact") == "output");
            Assert.Equal(("1", direction, peer), (Detail(output, "epoch"), Detail(output, "direction"), output["peer"]!.GetValue<string>()));

            // An output's path is the user's free text: only its keyed digest is in the entry.
            Assert.Null(Detail(output, "name"));
            Assert.True(Federation.Transparency.SubjectDigest.IsDigest(Detail(output, "nameDigest") ?? ""), $"{side}: the output's name as a digest: {output.ToJsonString()}");
            Assert.DoesNotContain("model.bin", output.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal(("FR", "DE"), (Detail(output, "from"), Detail(output, "to")));
            Assert.Equal((model.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Sha(model), "complete"), (Detail(output, "bytes"), Detail(output, "sha256"), Detail(output, "status")));
            var log = Assert.Single(entries, e => Detail(e, "artifact") == "log");
            Assert.Equal(("stdout", "5", Sha(Encoding.UTF8.GetBytes("done\n")), "partial"), (Detail(log, "name"), Detail(log, "bytes"), Detail(log, "sha256"), Detail(log, "status")));
            Assert.True(output["dataset"] is null, $"{side}: a job file is no dataset: {output.ToJsonString()}");
        }

        Assert.Equal(
            received.Select(e => Detail(e, "request")).Order(StringComparer.Ordinal),
            served.Select(e => Detail(e, "request")).Order(StringComparer.Ordinal));

        // What FR withholds did not move: no transfer of the other job in either log.
        Assert.Empty(await TransfersAsync(de, "DE/job-32", 0, "DE's log to hold no transfer of the withheld job"));
        Assert.Empty(await TransfersAsync(fr, "DE/job-32", 0, "FR's log to hold no transfer of the withheld job"));
    }

    private static string? Detail(JsonObject entry, string key) => entry["detail"]?[key]?.GetValue<string>();

    // The artifact-transfer entries of the job, once at least count are there (appended after the answers, not on their path).
    private static Task<List<JsonObject>> TransfersAsync(HttpClient nation, string job, int count, string expectation) =>
        Eventually.WaitAsync(
            async () => (await nation.GetFromJsonAsync<JsonObject>($"api/v1/audit/entries?job={Uri.EscapeDataString(job)}&kind=artifact-transfer&limit=100", Ct))!["items"]!.AsArray().OfType<JsonObject>().ToList(),
            e => e.Count >= count,
            TimeSpan.FromSeconds(30),
            expectation,
            TimeSpan.FromMilliseconds(100));
}
