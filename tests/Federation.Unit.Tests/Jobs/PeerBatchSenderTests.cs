using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Silo.Jobs.Dispatch;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Jobs;

/// <summary>
/// The courier's batch sender against a peer played by an in-memory HTTP handler: it asks the peer's
/// hello, sends one request for a full batch, and settles each message from its own entry.
/// </summary>
public sealed class PeerBatchSenderTests
{
    private static readonly NationCode s_fr = TypedId.Parse<NationCode>("FR");
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("FR/train-1");

    private sealed class FakePeer(Func<HttpRequestMessage, string?, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(string Path, string? Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Requests)
            {
                Requests.Add((request.RequestUri!.AbsolutePath, body));
            }

            return answer(request, body);
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Hello(int maxMessages) => Json(HttpStatusCode.OK, new JsonObject
    {
        ["code"] = "FR", ["peer"] = "DE", ["protocolVersions"] = new JsonArray("1"),
        ["messageBatches"] = new JsonObject { ["maxMessages"] = maxMessages, ["maxBytes"] = 65536 },
    });

    /// <summary>Answers each entry of a batch: a renewal of epoch 2 is refused, the others are kept running.</summary>
    private static HttpResponseMessage AnswerBatch(string body)
    {
        var entries = JsonNode.Parse(body)!["entries"]!.AsArray();
        var outcomes = new JsonArray();
        for (var i = 0; i < entries.Count; i++)
        {
            outcomes.Add(entries[i]!["body"]!["epoch"]!.GetValue<int>() == 2
                ? new JsonObject { ["index"] = i, ["status"] = 400, ["problem"] = new JsonObject { ["detail"] = $"entries[{i}]: epoch is refused" } }
                : new JsonObject { ["index"] = i, ["id"] = entries[i]!["id"]!.GetValue<string>(), ["status"] = 200, ["answer"] = new JsonObject { ["verdict"] = "continue", ["leaseSeconds"] = 30, ["reason"] = "" } });
        }

        return Json(HttpStatusCode.OK, new JsonObject { ["entries"] = outcomes });
    }

    private static (PeerBatchSender Sender, FakePeer Peer, IFederationHandler Renewals) Create(Func<HttpRequestMessage, string?, HttpResponseMessage> answer, int maxMessages = 3)
    {
        var peer = new FakePeer(answer);
        var client = new HttpClient(peer) { BaseAddress = new Uri("https://fr.example/") };
        var sender = new PeerBatchSender("FR", client, new SemaphoreSlim(4), new BatchBounds(maxMessages, 1 << 20, TimeSpan.FromMilliseconds(2)), new FakeTimeProvider(), NullLogger.Instance);
        return (sender, peer, new FederationDispatch(new RecordingGrains().Factory).Renewals);
    }

    private static OutboxMessage Renewal(int epoch) => OutboxMessage.Create(s_fr, new RenewalMessage(new LeaseRenewal(s_job, epoch)), DateTimeOffset.UnixEpoch);

    private static Task<Delivery?> SendAsync(PeerBatchSender sender, IFederationHandler handler, OutboxMessage message) =>
        sender.TrySendAsync(message, handler, handler.WireBody(message.Message));

    [Fact]
    public async Task TrySend_AFullBatch_OneRequestAndEachMessageSettledByItsOwnEntry()
    {
        var (sender, peer, renewals) = Create((request, body) => request.RequestUri!.AbsolutePath.EndsWith("/hello", StringComparison.Ordinal) ? Hello(10) : AnswerBatch(body!));
        using var _ = sender;

        var deliveries = await Task.WhenAll(SendAsync(sender, renewals, Renewal(1)), SendAsync(sender, renewals, Renewal(2)), SendAsync(sender, renewals, Renewal(3)));

        Assert.Equal(["/federation/v1/hello", "/federation/v1/jobs/batches"], peer.Requests.Select(r => r.Path));
        var sent = JsonNode.Parse(peer.Requests[1].Body!)!["entries"]!.AsArray();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, e => Assert.Equal("renewal", e!["kind"]!.GetValue<string>()));
        var byEpoch = deliveries.Select((d, i) => (Epoch: i + 1, Delivery: d!)).ToDictionary(x => x.Epoch, x => x.Delivery);
        Assert.True(byEpoch[1].Delivered);
        Assert.Equal(LeaseVerdict.Continue, byEpoch[1].LeaseAnswer!.Verdict);
        Assert.True(byEpoch[3].Delivered);
        Assert.False(byEpoch[2].Delivered);
        Assert.Contains("HTTP 400", byEpoch[2].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrySend_ToAPeerWhoseHelloAdvertisesNoBatches_LeavesTheMessageToItsOwnRoute()
    {
        var (sender, peer, renewals) = Create((_, _) => Json(HttpStatusCode.OK, new JsonObject { ["code"] = "FR", ["peer"] = "DE", ["protocolVersions"] = new JsonArray("1") }));
        using var _ = sender;

        Assert.Null(await SendAsync(sender, renewals, Renewal(1)));
        Assert.Null(await SendAsync(sender, renewals, Renewal(1)));
        Assert.Equal(["/federation/v1/hello"], peer.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task TrySend_ABatchRefusedWhole_FailsEveryMessageAndAsksHelloAgain()
    {
        var (sender, peer, renewals) = Create(
            (request, _) => request.RequestUri!.AbsolutePath.EndsWith("/hello", StringComparison.Ordinal) ? Hello(10) : Json(HttpStatusCode.NotFound, new JsonObject { ["title"] = "Not found" }),
            maxMessages: 2);
        using var _ = sender;

        var deliveries = await Task.WhenAll(SendAsync(sender, renewals, Renewal(1)), SendAsync(sender, renewals, Renewal(3)));

        Assert.All(deliveries, d => Assert.False(d!.Delivered));
        Assert.All(deliveries, d => Assert.Contains("HTTP 404", d!.Error, StringComparison.Ordinal));
        await Task.WhenAll(SendAsync(sender, renewals, Renewal(1)), SendAsync(sender, renewals, Renewal(3)));
        Assert.Equal(2, peer.Requests.Count(r => r.Path.EndsWith("/hello", StringComparison.Ordinal)));
    }
}
