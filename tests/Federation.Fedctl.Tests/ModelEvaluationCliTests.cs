using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// An evaluation signed by a nation that did not train the model: FR registers and holds a model,
/// DE pulls it (its restrictions allow DE), evaluates it on DE's benchmark dataset with DE's pinned
/// evaluation program (a stand-in with the workloads' files-and-manifest contract), signs it, and
/// sends it to FR; both attach it, <c>fedctl models verify</c> passes in both, FR's card lists it and
/// the leaderboard ranks it; the same evaluation with one byte of its signature altered is refused
/// naming the signature.
/// </summary>
public sealed class ModelEvaluationCliTests(PeeredNations nations) : IClassFixture<PeeredNations>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Environment(Uri api)
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = api.ToString();
        return environment;
    }

    private static async Task<JsonNode> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    [Fact]
    public async Task EvaluateAtDe_OfFrsModel_SignedByDe_AttachedAtBoth_Verified_CardAndLeaderboardList_AlteredRefused()
    {
        byte[] bytes = [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 11))];
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var fr = new HttpClient { BaseAddress = nations.FrApi };
        using var de = new HttpClient { BaseAddress = nations.DeApi };
        await ExpectAsync(await fr.PostAsJsonAsync("/api/v1/models", new JsonObject
        {
            ["name"] = "eval-net", ["version"] = "1.0.0", ["sha256"] = sha, ["sizeBytes"] = bytes.Length, ["format"] = "f32", ["licence"] = "Apache-2.0",
            ["description"] = "Benchmark test model",
            ["lineage"] = new JsonObject { ["datasets"] = new JsonArray(), ["producingJob"] = "FR/fed-eval-1" },
            ["restrictions"] = new JsonObject { ["mayLeave"] = true, ["nations"] = new JsonArray("DE") },
        }, Ct), HttpStatusCode.Created);
        using (var upload = new ByteArrayContent(bytes))
        {
            upload.Headers.ContentType = new("application/octet-stream");
            upload.Headers.Add("X-Content-Sha256", sha);
            await ExpectAsync(await fr.PutAsync("/api/v1/models/eval-net/versions/1.0.0/artifact", upload, Ct), HttpStatusCode.Created);
        }

        var data = Encoding.UTF8.GetBytes("age,bmi,label\n50,27.1,1\n41,22.0,0\n");
        var dataPath = Path.Combine(nations.DataRoot("DE"), "bench.csv");
        await File.WriteAllBytesAsync(dataPath, data, Ct);
        await ExpectAsync(await de.PostAsJsonAsync("/api/v1/datasets", new JsonObject
        {
            ["id"] = "bench", ["title"] = "Benchmark", ["description"] = "Held-out benchmark", ["location"] = new Uri(dataPath).AbsoluteUri,
            ["sizeBytes"] = data.Length, ["recordCount"] = 2, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)), ["format"] = "csv",
            ["licence"] = "CC-BY-4.0", ["steward"] = "Test office <t@example.org>", ["residency"] = new JsonObject { ["kind"] = "homeOnly" },
            ["dataUse"] = new JsonObject { ["permission"] = "GRU" },
        }, Ct), HttpStatusCode.Created);

        Assert.Equal(0, (await FedctlRun.RunAsync(Environment(nations.DeApi), "models", "pull", "eval-net@1.0.0", "--from", "FR")).Exit);
        var evaluate = await FedctlRun.RunAsync(Environment(nations.DeApi), "models", "evaluate", "eval-net@1.0.0", "--dataset", "bench", "-o", "json");
        Assert.True(evaluate.Exit == 0, evaluate.Error);
        var signed = JsonNode.Parse(evaluate.Output)!;
        Assert.Equal(("DE", "DE/bench", sha, 0.81), (signed["evaluation"]!["nation"]!.GetValue<string>(), signed["evaluation"]!["dataset"]!.GetValue<string>(),
            signed["evaluation"]!["modelSha256"]!.GetValue<string>(), signed["evaluation"]!["accuracy"]!.GetValue<double>()));

        // Sent to FR, which verifies it against DE's roster pin before attaching it.
        await Eventually.WaitAsync(
            async () => (await fr.GetFromJsonAsync<JsonArray>("/api/v1/models/eval-net/versions/1.0.0/evaluations", Ct))!,
            list => list.Count == 1 && list[0]!["verified"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(15),
            "FR to attach DE's verified evaluation");
        foreach (var api in new[] { nations.FrApi, nations.DeApi })
        {
            var verify = await FedctlRun.RunAsync(Environment(api), "models", "verify", "eval-net", "1.0.0");
            Assert.True(verify.Exit == 0, verify.Error);
            Assert.Contains("every signature verified", verify.Output, StringComparison.Ordinal);
        }

        var card = await FedctlRun.RunAsync(Environment(nations.FrApi), "models", "card", "eval-net@1.0.0");
        Assert.True(card.Exit == 0, card.Error);
        Assert.Contains("| DE/bench | DE | 0.81 | 0.88 | 0.42 | 0.03 | 500 |", card.Output, StringComparison.Ordinal);
        Assert.Contains("| verified |", card.Output, StringComparison.Ordinal);
        var board = await FedctlRun.RunAsync(Environment(nations.FrApi), "models", "leaderboard", "DE/bench");
        Assert.True(board.Exit == 0, board.Error);
        Assert.Contains("eval-net@1.0.0", board.Output, StringComparison.Ordinal);

        var altered = signed.DeepClone();
        var signature = Convert.FromBase64String(altered["signature"]!.GetValue<string>());
        signature[5] ^= 0x01;
        altered["signature"] = Convert.ToBase64String(signature);
        altered["evaluation"]!["id"] = Guid.NewGuid().ToString("D");
        var refused = await fr.PostAsync("/api/v1/models/eval-net/versions/1.0.0/evaluations", new StringContent(altered.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var problem = await ExpectAsync(refused, HttpStatusCode.UnprocessableEntity);
        Assert.Contains($"evaluation {altered["evaluation"]!["id"]!.GetValue<string>()} of eval-net@1.0.0 on DE/bench by DE: the signature does not match", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
