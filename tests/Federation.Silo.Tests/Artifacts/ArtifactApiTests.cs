using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Protocol;
using Federation.Protocol.Evaluations;
using Federation.Silo.Artifacts;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Artifacts;

/// <summary>
/// Model artifacts on an embedded nation (FR) with a store of its own: upload only of the bytes the
/// catalogue entry states (nothing stored otherwise), download with the digest, lineage with its
/// steps and conditions, strict bodies and names.
/// </summary>
public sealed class ArtifactApiTests : IAsyncLifetime
{
    private static readonly byte[] s_bytes = [.. Enumerable.Range(0, 150_000).Select(i => (byte)(i * 31 + 7))];
    private static readonly string s_sha = Convert.ToHexStringLower(SHA256.HashData(s_bytes));

    private readonly string _root = Directory.CreateTempSubdirectory("artifact-api-").FullName;
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => _silo.Client;

    public async ValueTask InitializeAsync() =>
        _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Nation:Code"] = "FR",
            ["Federation:Artifacts:Root"] = _root,
            ["Federation:Artifacts:MaxBytes"] = "1000000",
        });

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static JsonObject Model(string version, string? sha = null, long? size = null)
    {
        var model = Payloads.Model("tumour-net", version);
        model["sha256"] = sha ?? s_sha;
        model["sizeBytes"] = size ?? s_bytes.Length;
        model["lineage"] = new JsonObject
        {
            ["datasets"] = new JsonArray("DE/cancer-registry"),
            ["producingJob"] = "FR/fed-train-7",
            ["round"] = 3,
            ["workload"] = "tabular-train",
            ["workloadVersion"] = "1.2.0",
            ["conditions"] = new JsonObject { ["DE/cancer-registry"] = "residency home-only; exports maskedUpdates" },
            ["steps"] = new JsonArray(
                new JsonObject { ["name"] = "local-train", ["nation"] = "FR", ["round"] = 3, ["energyKwh"] = 1.5, ["emissionsGco2e"] = 80.0 },
                new JsonObject { ["name"] = "aggregate", ["nation"] = "SE", ["round"] = 3, ["energyKwh"] = 0.25, ["emissionsGco2e"] = 10.0 }),
        };
        model.Remove("energyKwh");
        model.Remove("emissionsGco2e");
        model["restrictions"] = new JsonObject { ["mayLeave"] = true, ["nations"] = new JsonArray("DE", "SE") };
        return model;
    }

    private async Task RegisterAsync(JsonObject model)
    {
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/models", Payloads.Json(model), Ct), HttpStatusCode.Created);
    }

    private Task<HttpResponseMessage> UploadAsync(string version, byte[] bytes, string? sha = null, string mediaType = "application/octet-stream")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/models/tumour-net/versions/{version}/artifact") { Content = content };
        request.Headers.Add(ArtifactRoutes.Sha256Header, sha ?? s_sha);
        return Client.SendAsync(request, Ct);
    }

    private string[] StoredFiles() => Directory.GetFiles(_root, "*", SearchOption.AllDirectories);

    [Fact]
    public async Task Upload_BytesThatDoNotMatchTheDeclaredSha256_Are422NamingSha256_NothingStored()
    {
        await RegisterAsync(Model("1.0.0"));
        var altered = s_bytes.ToArray();
        altered[77_000] ^= 1;

        var problem = await Http.ExpectProblemAsync(await UploadAsync("1.0.0", altered), HttpStatusCode.UnprocessableEntity);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("sha256"), problem.ToJsonString());
        Assert.Empty(StoredFiles());
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/models/tumour-net/versions/1.0.0/artifact", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Upload_ThenDownload_SameBytesWithTheirDigest_TwiceAndForTwoVersionsIsOneFile()
    {
        await RegisterAsync(Model("1.0.0"));
        await RegisterAsync(Model("1.0.1"));

        var created = await Http.ExpectAsync(await UploadAsync("1.0.0", s_bytes), HttpStatusCode.Created);
        await Http.ExpectAsync(await UploadAsync("1.0.0", s_bytes), HttpStatusCode.OK);
        await Http.ExpectAsync(await UploadAsync("1.0.1", s_bytes), HttpStatusCode.Created);

        Assert.Equal(s_sha, created["sha256"]!.GetValue<string>());
        Assert.Equal("FR", created["source"]!.GetValue<string>());
        Assert.Equal([_silo.Services.GetRequiredService<ContentStore>().PathOf(TypedId.Parse<Sha256Digest>(s_sha))], StoredFiles());
        using var download = await Client.GetAsync("/api/v1/models/tumour-net/versions/1.0.1/artifact", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal($"\"{s_sha}\"", download.Headers.ETag?.Tag);
        Assert.Equal(s_sha, download.Headers.GetValues(ArtifactRoutes.Sha256Header).Single());
        Assert.Equal(s_bytes, await download.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Upload_WithADigestOtherThanTheCatalogueEntrys_Is400NamingSha256()
    {
        await RegisterAsync(Model("1.0.0"));
        var other = Convert.ToHexStringLower(SHA256.HashData([1, 2, 3]));

        await Http.ExpectInvalidFieldAsync(await UploadAsync("1.0.0", [1, 2, 3], sha: other), "sha256");
        await Http.ExpectInvalidFieldAsync(await UploadAsync("1.0.0", s_bytes, sha: "../../etc/passwd"), "sha256");
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task Upload_JsonInsteadOfBytes_Is415_AnUnregisteredModel_Is404()
    {
        await RegisterAsync(Model("1.0.0"));

        await Http.ExpectProblemAsync(await UploadAsync("1.0.0", s_bytes, mediaType: "application/json"), HttpStatusCode.UnsupportedMediaType);
        await Http.ExpectProblemAsync(await UploadAsync("9.9.9", s_bytes), HttpStatusCode.NotFound);
        Assert.Empty(StoredFiles());
    }

    [Theory]
    [InlineData("..%2F..%2Fetc", "1.0.0", "name")]
    [InlineData("tumour-net", "1.0%2F..%2F..%2Fpasswd", "version")]
    public async Task PathTraversalInNames_Is400NamingTheField(string name, string version, string field)
    {
        var content = new ByteArrayContent(s_bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/models/{name}/versions/{version}/artifact") { Content = content };
        request.Headers.Add(ArtifactRoutes.Sha256Header, s_sha);

        await Http.ExpectInvalidFieldAsync(await Client.SendAsync(request, Ct), field);
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task Lineage_AnswersJobRoundWorkloadConditionsStepsAndTheirSums_RestrictionsAndTheArtifact()
    {
        await RegisterAsync(Model("1.0.0"));
        await Http.ExpectAsync(await UploadAsync("1.0.0", s_bytes), HttpStatusCode.Created);

        var lineage = await Http.ExpectAsync(await Client.GetAsync("/api/v1/models/tumour-net/versions/1.0.0/lineage", Ct), HttpStatusCode.OK);

        Assert.Equal("FR/fed-train-7", lineage["lineage"]!["producingJob"]!.GetValue<string>());
        Assert.Equal(3, lineage["lineage"]!["round"]!.GetValue<int>());
        Assert.Equal("tabular-train", lineage["lineage"]!["workload"]!.GetValue<string>());
        Assert.Equal("residency home-only; exports maskedUpdates", lineage["lineage"]!["conditions"]!["DE/cancer-registry"]!.GetValue<string>());
        Assert.Equal(2, lineage["lineage"]!["steps"]!.AsArray().Count);
        Assert.Equal(1.75, lineage["energyKwh"]!.GetValue<double>(), 6);
        Assert.Equal(90.0, lineage["emissionsGco2e"]!.GetValue<double>(), 6);
        Assert.True(lineage["restrictions"]!["mayLeave"]!.GetValue<bool>());
        Assert.Equal(["DE", "SE"], lineage["restrictions"]!["nations"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(s_sha, lineage["artifact"]!["sha256"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("restrictions", """{"nations":["DE"]}""", "restrictions.nations")]
    [InlineData("restrictions", """{"mayLeave":true,"nations":["de"]}""", "restrictions.nations[0]")]
    [InlineData("lineage", """{"datasets":[],"round":2}""", "lineage.round")]
    [InlineData("lineage", """{"datasets":[],"steps":[{"name":"train","nation":"FR","energyKwh":-1,"emissionsGco2e":0}]}""", "lineage.steps[0].energyKwh")]
    [InlineData("lineage", """{"datasets":[],"steps":[{"name":"train","nation":"FR","energyKwh":1e300,"emissionsGco2e":0}]}""", "lineage.steps[0].energyKwh")]
    [InlineData("lineage", """{"datasets":[],"steps":[null]}""", "lineage.steps[0]")]
    [InlineData("lineage", """{"datasets":[],"conditions":{"DE/other":"x"}}""", "lineage.conditions.DE/other")]
    public async Task Register_BadLineageOrRestrictions_Is400NamingTheField(string member, string json, string field)
    {
        var model = Model("2.0.0");
        model[member] = JsonNode.Parse(json);

        await Http.ExpectInvalidFieldAsync(await Client.PostAsJsonAsync("/api/v1/models", model, Ct), field);
    }

    [Fact]
    public async Task Pull_FromThisNationOrWithoutFrom_Is400NamingFrom()
    {
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/models/tumour-net/versions/1.0.0:pull", Payloads.Json(new JsonObject { ["from"] = "FR" }), Ct), "from");
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/models/tumour-net/versions/1.0.0:pull", Payloads.Json(new JsonObject()), Ct), "from");
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/models/tumour-net/versions/1.0.0:pull", Payloads.Json(new JsonObject { ["from"] = "XX" }), Ct), "from");
    }

    private static SignedModelEvaluation Evaluation(string nation, string dataset, System.Security.Cryptography.X509Certificates.X509Certificate2 key) =>
        ModelEvaluationSignature.Sign(new ModelEvaluationStatement(
            Guid.Parse("7d1f0c2a-3b4e-4f5a-8b6c-9d0e1f2a3b4c"),
            TypedId.Parse<ModelRef>("tumour-net@1.0.0"),
            TypedId.Parse<Sha256Digest>(s_sha),
            TypedId.Parse<DatasetRef>($"{nation}/{dataset}"),
            TypedId.Parse<NationCode>(nation),
            DateTimeOffset.UtcNow.AddMinutes(-1),
            500, 0.8, 0.85, 0.4, 0.05), key);

    private Task<HttpResponseMessage> AttachAsync(SignedModelEvaluation evaluation) =>
        Client.PostAsync("/api/v1/models/tumour-net/versions/1.0.0/evaluations",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(evaluation, Federation.Contracts.Json.FederationJson.Options), System.Text.Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task AttachEvaluation_SignedByANationNotOnTheRoster_Is403NamingTheSignature_Logged_NothingAttached()
    {
        await RegisterAsync(Model("1.0.0"));
        using var forger = NationCertificates.Create("NO");

        var problem = await Http.ExpectProblemAsync(await AttachAsync(Evaluation("NO", "bench", forger)), HttpStatusCode.Forbidden);

        Assert.StartsWith("evaluation 7d1f0c2a-3b4e-4f5a-8b6c-9d0e1f2a3b4c of tumour-net@1.0.0 on NO/bench by NO: NO is not on the federation roster", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var verify = await Http.ExpectAsync(await Client.GetAsync("/api/v1/models/tumour-net/versions/1.0.0/verify", Ct), HttpStatusCode.OK);
        Assert.Empty(verify["evaluations"]!.AsArray());
        var refusals = await Eventually.WaitAsync(
            async () => (await Client.GetFromJsonAsync<JsonObject>("/api/v1/audit/entries?kind=refusal", Ct))!["items"]!.AsArray(),
            items => items.Any(i => i!["rule"]?.GetValue<string>() == ModelEvaluations.SignatureRule),
            TimeSpan.FromSeconds(10),
            "FR's log to hold the refused evaluation");
        Assert.Contains("by NO", refusals.First(i => i!["rule"]?.GetValue<string>() == ModelEvaluations.SignatureRule)!["detail"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttachEvaluation_NotJson_AnUnknownMember_OrTooLarge_RefusedByTheStrictReader_NothingAttached()
    {
        const string path = "/api/v1/models/tumour-net/versions/1.0.0/evaluations";
        await RegisterAsync(Model("1.0.0"));
        using var key = NationCertificates.Create("FR");
        var body = System.Text.Json.JsonSerializer.SerializeToNode(Evaluation("FR", "bench", key), Federation.Contracts.Json.FederationJson.Options)!.AsObject();

        await Http.ExpectProblemAsync(
            await Client.PostAsync(path, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "text/plain"), Ct), HttpStatusCode.UnsupportedMediaType);

        var unknown = body.DeepClone().AsObject();
        unknown["evaluation"]!["verdict"] = "trust me";
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync(path, Payloads.Json(unknown), Ct), "evaluation.verdict");

        var padded = body.DeepClone().AsObject();
        padded["padding"] = new string('x', 1024 * 1024);
        await Http.ExpectProblemAsync(await Client.PostAsync(path, Payloads.Json(padded), Ct), HttpStatusCode.RequestEntityTooLarge);

        var verify = await Http.ExpectAsync(await Client.GetAsync("/api/v1/models/tumour-net/versions/1.0.0/verify", Ct), HttpStatusCode.OK);
        Assert.Empty(verify["evaluations"]!.AsArray());
    }

    [Fact]
    public async Task AttachEvaluation_OfAnotherNationsDataset_Is422NamingEvaluationDataset()
    {
        await RegisterAsync(Model("1.0.0"));
        using var key = NationCertificates.Create("FR");
        var signed = Evaluation("FR", "bench", key);
        var misplaced = signed with { Evaluation = signed.Evaluation with { Dataset = TypedId.Parse<DatasetRef>("DE/bench") } };

        var problem = await Http.ExpectProblemAsync(await AttachAsync(misplaced), HttpStatusCode.UnprocessableEntity);

        Assert.Contains("evaluation.dataset DE/bench is DE's", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_OfAFederatedModel_ListsRoundsDataAndCo2Fields_AsJsonAndMarkdown_UploaderOnlyAsDigest()
    {
        var model = Model("1.0.0");
        model["description"] = "Triage support for tumour boards; not for diagnosis.";
        model["metrics"] = new JsonObject { ["dpEpsilon"] = 3.5 };
        await RegisterAsync(model);
        await Http.ExpectAsync(await UploadAsync("1.0.0", s_bytes), HttpStatusCode.Created);

        var card = await Http.ExpectAsync(await Client.GetAsync("/api/v1/models/tumour-net/versions/1.0.0/card", Ct), HttpStatusCode.OK);
        var markdown = await Client.GetStringAsync("/api/v1/models/tumour-net/versions/1.0.0/card?format=markdown", Ct);
        var lineage = await Http.ExpectAsync(await Client.GetAsync("/api/v1/models/tumour-net/versions/1.0.0/lineage", Ct), HttpStatusCode.OK);

        Assert.Equal(("federated", 90.0, "FR, SE"), (card["co2"]!["trainingType"]!.GetValue<string>(), card["co2"]!["emissions"]!.GetValue<double>(), card["co2"]!["geographicalLocation"]!.GetValue<string>()));
        var round = Assert.Single(card["rounds"]!.AsArray());
        Assert.Equal((3, 1.75, 90.0), (round!["round"]!.GetValue<int>(), round["energyKwh"]!.GetValue<double>(), round["emissionsGco2e"]!.GetValue<double>()));
        Assert.Equal(3.5, card["privacyBudget"]!["dpEpsilon"]!.GetValue<double>());
        Assert.Equal("residency home-only; exports maskedUpdates", card["datasets"]![0]!["conditions"]!.GetValue<string>());
        Assert.Contains("co2_eq_emissions:\n  emissions: 90\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| 3 | 1.75 | 90 | FR, SE |", markdown, StringComparison.Ordinal);
        Assert.Contains("Triage support for tumour boards", markdown, StringComparison.Ordinal);
        Assert.True(Federation.Transparency.SubjectDigest.IsDigest(lineage["artifact"]!["uploadedBy"]!.GetValue<string>()), lineage.ToJsonString());
    }

    [Fact]
    public async Task Transfers_OfAJobThisNationDoesNotHave_Is404()
    {
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/jobs/no-such-job/transfers", Ct), HttpStatusCode.NotFound);
    }
}
