using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Contracts.Learning;
using Federation.Grains.Learning;
using Federation.Learning.Participant;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using Federation.Protocol;
using Federation.Protocol.Wire;
using Federation.Silo.Learning;
using Federation.Testing;
using Federation.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests.Learning;

/// <summary>
/// <c>POST /federation/v1/rounds/messages</c> between two in-process nations over real mutual TLS: FR
/// aggregates a run whose contributors are DE and SE (SE's key made here and given to FR's directory, its
/// messages handed to FR's grain as the endpoint would). Every refusal answers problem+json naming the
/// field or the rule: no run, a bad field, a sender other than the peer, a nation not in the round, a bad
/// signature, a replay and a stale attempt.
/// </summary>
public sealed class RoundMessageApiTests
{
    private static readonly TimeSpan s_stage = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NationCode N(string code) => TypedId.Parse<NationCode>(code);

    private static FederatedRunPlan Plan(string job, params string[] contributors) => new(
        TypedId.Parse<JobRef>(job), [.. contributors.Select(N)],
        new FederatedSpec
        {
            Training = new WorkloadCall { Name = "tabular-train", Version = "1.0" },
            Rounds = 2,
            RoundPolicy = new FederatedRoundPolicy { OnFailure = RoundFailurePolicy.Wait, WaitMinutes = 30 },
        },
        [0, 0, 0, 0], s_stage);

    private static string Json(NationCode from, object message) =>
        JsonSerializer.Serialize(RoundMessageCodec.Write(from, message), FederationJson.Options);

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(HttpClient client, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, RoundCourier.Route) { Content = new StringContent(json, Encoding.UTF8, "application/json") }
            .WithRequestId(Guid.NewGuid());
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    [Fact]
    public async Task RoundMessages_FromPeers_AreAcceptedOrRefusedNamingTheFieldOrRule()
    {
        await using var nations = await TwoNations.StartAsync();
        using var de = nations.De.Peers.CreateClient(nations.De.Roster.Find("FR")!);
        var grains = nations.Fr.Services.GetRequiredService<IGrainFactory>();
        var job = TypedId.Parse<JobRef>("FR/fed-api");
        var run = grains.GetGrain<IFederatedRunGrain>(IFederatedRunGrain.KeyOf(job));
        var ready = Json(N("DE"), new ParticipantReady(job, N("DE")));

        // No run held yet: 404 naming the rule.
        var (status, body) = await PostAsync(de, ready);
        Assert.True(status == HttpStatusCode.NotFound, $"no run: {status} {body}");
        Assert.Equal("noRun", body["rule"]?.GetValue<string>());

        // A bad field: named in the errors.
        var masked = JsonNode.Parse(Json(N("DE"), new MaskedInput(RunTerms.SessionKey(job, 1, 0), N("DE"), [1, 2, 3])))!.AsObject();
        masked["values"]![1] = 5_000_000_000;
        (status, body) = await PostAsync(de, masked.ToJsonString());
        Assert.True(status == HttpStatusCode.BadRequest, $"bad field: {status} {body}");
        Assert.NotNull(body["errors"]?["values[1]"]);

        // A sender other than the authenticated peer.
        (status, body) = await PostAsync(de, Json(N("SE"), new ParticipantReady(job, N("SE"))));
        Assert.True(status == HttpStatusCode.Forbidden, $"sender mismatch: {status} {body}");
        Assert.Equal("senderMismatch", body["rule"]?.GetValue<string>());

        // A nation not in the round.
        var other = TypedId.Parse<JobRef>("FR/fed-other");
        await grains.GetGrain<IFederatedRunGrain>(IFederatedRunGrain.KeyOf(other)).StartAsync(Plan("FR/fed-other", "SE", "NO"));
        (status, body) = await PostAsync(de, Json(N("DE"), new ParticipantReady(other, N("DE"))));
        Assert.True(status == HttpStatusCode.Forbidden, $"not in round: {status} {body}");
        Assert.Equal("notInRound", body["rule"]?.GetValue<string>());

        // The run opens round 1 once DE (over mTLS) and SE (its key given to FR) are ready.
        Assert.Equal("awaitingContributors", (await run.StartAsync(Plan("FR/fed-api", "DE", "SE"))).Phase);
        (status, body) = await PostAsync(de, ready);
        Assert.True(status == HttpStatusCode.Accepted, $"ready: {status} {body}");
        using var seCertificate = NationCertificates.Create("SE");
        nations.Fr.Services.GetRequiredService<RunKeyDirectory>().Remember(N("SE"), seCertificate);
        Assert.True((await run.ReceiveAsync(N("SE"), Json(N("SE"), new ParticipantReady(job, N("SE"))))).Accepted);
        var opened = await run.GetStatusAsync();
        Assert.True(opened is { Phase: "running", Round: 1, Attempt: 0 }, opened.ToString());

        var deKey = nations.De.Services.GetRequiredService<IRunKeyDirectory>().Own;
        var frKeys = nations.Fr.Services.GetRequiredService<IRunKeyDirectory>();
        var roster = new Dictionary<NationCode, System.Security.Cryptography.ECDsa> { [N("DE")] = frKeys.Find(N("DE"))!, [N("SE")] = frKeys.Find(N("SE"))! };
        using var participant = new SecureAggregationParticipant(RunTerms.SessionKey(job, 1, 0), N("DE"), deKey, roster, 2);
        var advert = participant.Advertise();

        // A bad signature.
        var forged = advert with { Signature = [.. advert.Signature.Select((b, i) => i == 8 ? (byte)(b ^ 0xFF) : b)] };
        (status, body) = await PostAsync(de, Json(N("DE"), forged));
        Assert.True(status == HttpStatusCode.BadRequest, $"bad signature: {status} {body}");
        Assert.Equal("badSignature", body["rule"]?.GetValue<string>());

        // The real advert is taken; the same again is a replay; one for an attempt not open is stale.
        (status, body) = await PostAsync(de, Json(N("DE"), advert));
        Assert.True(status == HttpStatusCode.Accepted, $"advert: {status} {body}");
        (status, body) = await PostAsync(de, Json(N("DE"), advert));
        Assert.True(status == HttpStatusCode.Conflict, $"replay: {status} {body}");
        Assert.Equal("duplicate", body["rule"]?.GetValue<string>());
        (status, body) = await PostAsync(de, Json(N("DE"), advert with { Round = RunTerms.SessionKey(job, 1, 1) }));
        Assert.True(status == HttpStatusCode.Conflict, $"stale: {status} {body}");
        Assert.Equal("wrongRound", body["rule"]?.GetValue<string>());

        var status2 = await run.GetStatusAsync();
        Assert.True(status2 is { Phase: "running", Round: 1, Attempt: 0 }, status2.ToString());

        // FR's log holds an artifact-transfer entry per accepted message from DE (its ready, its advert), none for a refused one.
        var log = nations.Fr.Services.GetRequiredService<ITransparencyLog>();
        var transfers = await Eventually.WaitAsync(
            async () => (await log.QueryAsync(new TransparencyQuery(Job: job.ToString(), Kind: TransparencyEntryKind.ArtifactTransfer), Ct))
                .Select(row => TransparencyEntryEncoding.Decode(row.Bytes).Entry).ToList(),
            e => e.Count >= 2, TimeSpan.FromSeconds(30), "FR logs the accepted round messages from DE", TimeSpan.FromMilliseconds(100));
        Assert.Equal(["control", "secagg-keys"], transfers.Select(e => e.Detail["artifact"]).Order(StringComparer.Ordinal));
        Assert.All(transfers, e => Assert.True(e.Peer == "DE" && e.Detail["direction"] == "in" && e.Detail["from"] == "DE" && e.Detail["to"] == "FR", string.Join(", ", e.Detail)));
        Assert.Contains(transfers, e => e.Detail["what"] == "key advert round 1");
    }
}
