using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Issue 17's must-show on a launched federation: <c>examples/jobs/federated-training.json</c> submitted in DE
/// trains the reference workload on FR, DE and SE's home-only, non-IID rows (<see cref="TrainingFederation.Rows"/> each: 2,000 at CI size; 8 rounds, secure
/// aggregation); the final model reaches centralized training's accuracy on the pooled data within one
/// percentage point; only masked updates and the aggregated model (with key material, metrics and control)
/// crossed borders, and the aggregator received no unmasked update.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(TrainingFederationCollection.Name)]
public sealed class FederatedTrainingTests(TrainingFederation federation)
{
    private static readonly TimeSpan s_runLimit = TimeSpan.FromMinutes(TestProfile.Pick(6, 15));
    private static readonly string[] s_nations = ["FR", "DE", "SE"];
    private static readonly HashSet<string> s_roundArtifacts = ["aggregated-model", "masked-update", "metrics", "secagg-keys", "control"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The example job of the tour, read from the repository.</summary>
    public static JsonObject ExampleJob()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Federation.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException($"No Federation.sln above {AppContext.BaseDirectory}."), "examples", "jobs", "federated-training.json");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    [Fact]
    public async Task ExampleJob_FromDe_ReachesCentralizedAccuracy_AndOnlyMaskedUpdatesAndTheModelCrossBorders()
    {
        var clock = Stopwatch.StartNew();
        await federation.WaitForTrainingAdvertsAsync("DE", "FR", "SE");
        var job = ExampleJob();
        var id = job["id"]!.GetValue<string>();
        using var de = federation.Client("DE");
        using (var submitted = await de.PostAsJsonAsync("api/v1/jobs", job, Ct))
        {
            Assert.True(submitted.StatusCode == HttpStatusCode.Created, $"submitting the example: {(int)submitted.StatusCode} {await submitted.Content.ReadAsStringAsync(Ct)}");
        }

        var ended = await Eventually.WaitAsync(
            async () => (await de.GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", Ct))!,
            j => j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled",
            s_runLimit, "the federated job to end" + federation.Log, TimeSpan.FromSeconds(1));
        Assert.True(ended["state"]!.GetValue<string>() == "succeeded", $"the job ended {ended.ToJsonString()}");
        var aggregator = ended["nation"]!.GetValue<string>();
        var runSeconds = clock.Elapsed.TotalSeconds;

        // The final model, kept by the aggregator, against centralized training on the pooled rows (pooled only here).
        using var scratch = new TempFolder();
        var model = Path.Combine(federation.WorkRoot(aggregator), "DE", id, "model", "weights.f32");
        Assert.True(File.Exists(model), $"the aggregator {aggregator} kept no final model at {model}");
        var training = job["federated"]!["training"]!["arguments"]!.AsObject();
        var centralized = new JsonObject
        {
            ["data"] = new JsonArray([.. s_nations.Select(n => JsonValue.Create(federation.Dataset(n)))]),
            ["outputDirectory"] = scratch.Path("centralized"),
            ["rounds"] = job["federated"]!["rounds"]!.GetValue<int>(),
        };
        foreach (var (name, value) in training)
        {
            centralized[name] = double.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture);
        }

        await TrainingFederation.RunManifestAsync("centralized", centralized, scratch.Root);
        var test = new JsonArray();
        foreach (var nation in s_nations)
        {
            // A held-out test set of each population: rows of another seed, never seen by either model.
            await TrainingFederation.RunWorkloadAsync("generate", $"--nation={nation}", "--rows=1000", "--seed=202", $"--name={nation}-test", $"--outputDirectory={scratch.Root}");
            test.Add(Path.Combine(scratch.Root, $"{nation}-test.csv"));
        }

        var federated = await AccuracyAsync(model, test, scratch, "federated");
        var reference = await AccuracyAsync(Path.Combine(scratch.Path("centralized"), "weights.f32"), test, scratch, "reference");
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"federated accuracy {federated:P2} (aggregated in {aggregator}), centralized {reference:P2}; the run took {runSeconds:0} s, the whole test {clock.Elapsed.TotalSeconds:0} s");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(Math.Abs(federated - reference) <= 0.01, summary);
        Assert.True(reference > 0.6, $"centralized training learned little: {summary}");

        // What crossed DE's border for the job: round artifacts only, masked updates and the aggregated model among them.
        var transfers = (await de.GetFromJsonAsync<JsonArray>($"api/v1/jobs/{id}/transfers", Ct))!.OfType<JsonObject>().ToList();
        var kinds = transfers.Select(t => t["what"]!.GetValue<string>()).ToHashSet();
        Assert.True(kinds.IsSubsetOf(s_roundArtifacts), $"DE's transfers of {id}: {string.Join(", ", kinds)}");
        Assert.Contains("masked-update", kinds);
        Assert.Contains("aggregated-model", kinds);
        Assert.All(transfers.Where(t => t["what"]!.GetValue<string>() == "masked-update"), t => Assert.Equal(aggregator, t["to"]!.GetValue<string>()));

        // What the aggregator received for the job: masked inputs (one per other nation and round), never a plain update or data.
        using var agg = federation.Client(aggregator);
        var received = (await AuditAsync(agg, $"DE/{id}")).Where(e => e["detail"]?["direction"]?.GetValue<string>() == "in").ToList();
        var artifacts = received.Select(e => e["detail"]!["artifact"]!.GetValue<string>()).ToHashSet();
        Assert.True(artifacts.IsSubsetOf(["masked-update", "metrics", "secagg-keys", "control"]), $"the aggregator {aggregator} received: {string.Join(", ", artifacts)}");
        var rounds = job["federated"]!["rounds"]!.GetValue<int>();
        foreach (var other in s_nations.Where(n => n != aggregator))
        {
            var masked = received.Where(e => e["detail"]!["artifact"]!.GetValue<string>() == "masked-update" && e["detail"]!["from"]!.GetValue<string>() == other)
                .Select(e => e["detail"]!["what"]!.GetValue<string>()).ToHashSet();
            Assert.Equal(Enumerable.Range(1, rounds).Select(r => string.Create(CultureInfo.InvariantCulture, $"masked update round {r}")).ToHashSet(), masked);
        }
    }

    private static async Task<double> AccuracyAsync(string model, JsonArray test, TempFolder scratch, string name)
    {
        var output = scratch.Path(name);
        await TrainingFederation.RunManifestAsync("evaluate", new JsonObject { ["model"] = model, ["data"] = test.DeepClone(), ["outputDirectory"] = output }, scratch.Root);
        var metrics = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "metrics.json"), Ct))!;
        return metrics["evaluation"]!["accuracy"]!.GetValue<double>();
    }

    /// <summary>The <c>artifact-transfer</c> entries of <paramref name="job"/> in the nation of <paramref name="client"/>.</summary>
    public static async Task<List<JsonObject>> AuditAsync(HttpClient client, string job)
    {
        var entries = new List<JsonObject>();
        long? from = 0;
        while (from is not null)
        {
            var page = (await client.GetFromJsonAsync<JsonObject>(
                string.Create(CultureInfo.InvariantCulture, $"api/v1/audit/entries?job={Uri.EscapeDataString(job)}&kind=artifact-transfer&from={from}&limit=1000"), Ct))!;
            entries.AddRange(page["items"]!.AsArray().OfType<JsonObject>());
            from = page["next"]?.GetValue<long>();
        }

        return entries;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("federated-reference-").FullName;

        public string Path(string name) => System.IO.Path.Combine(Root, name);

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
