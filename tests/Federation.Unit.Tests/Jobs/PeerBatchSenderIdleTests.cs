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
/// The batch sender with the options' bounds (<see cref="BatchBounds.SendWhenIdle"/>) on a fake clock
/// that never moves: a lone message leaves without waiting for the flush delay, and the messages that
/// come while its request is on the wire leave together as soon as it is answered.
/// </summary>
public sealed class PeerBatchSenderIdleTests
{
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("FR/train-1");

    /// <summary>Answers hello at once; holds each batch request until <see cref="Release"/>.</summary>
    private sealed class HeldPeer : HttpMessageHandler
    {
        private readonly SemaphoreSlim _release = new(0);

        public List<int> BatchSizes { get; } = [];

        public SemaphoreSlim Arrived { get; } = new(0);

        public void Release() => _release.Release();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/hello", StringComparison.Ordinal))
            {
                return Json(new JsonObject
                {
                    ["code"] = "FR", ["peer"] = "DE", ["protocolVersions"] = new JsonArray("1"),
                    ["messageBatches"] = new JsonObject { ["maxMessages"] = 10, ["maxBytes"] = 65536 },
                });
            }

            var entries = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!["entries"]!.AsArray();
            lock (BatchSizes)
            {
                BatchSizes.Add(entries.Count);
            }

            Arrived.Release();
            await _release.WaitAsync(cancellationToken);
            var outcomes = new JsonArray();
            for (var i = 0; i < entries.Count; i++)
            {
                outcomes.Add(new JsonObject { ["index"] = i, ["id"] = entries[i]!["id"]!.GetValue<string>(), ["status"] = 200, ["answer"] = new JsonObject { ["verdict"] = "continue", ["leaseSeconds"] = 30, ["reason"] = "" } });
            }

            return Json(new JsonObject { ["entries"] = outcomes });
        }

        private static HttpResponseMessage Json(JsonNode body) =>
            new(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    [Fact]
    public async Task TrySend_ALoneMessage_LeavesAtOnceAndTheOnesThatComeMeanwhileFormTheNextBatch()
    {
        var peer = new HeldPeer();
        var client = new HttpClient(peer) { BaseAddress = new Uri("https://fr.example/") };
        using var sender = new PeerBatchSender("FR", client, new SemaphoreSlim(4), new MessageBatchOptions().ToBounds(), new FakeTimeProvider(), NullLogger.Instance);
        var renewals = new FederationDispatch(new RecordingGrains().Factory).Renewals;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // The fake clock never moves: a message that waited for the flush delay would never leave.
        var first = SendAsync(sender, renewals, 1);
        await peer.Arrived.WaitAsync(timeout.Token);
        var second = SendAsync(sender, renewals, 2);
        var third = SendAsync(sender, renewals, 3);
        Assert.False(second.IsCompleted);

        peer.Release();
        Assert.True((await first.WaitAsync(timeout.Token))!.Delivered);
        await peer.Arrived.WaitAsync(timeout.Token);
        peer.Release();
        Assert.True((await second.WaitAsync(timeout.Token))!.Delivered);
        Assert.True((await third.WaitAsync(timeout.Token))!.Delivered);
        Assert.Equal([1, 2], peer.BatchSizes);
    }

    private static Task<Delivery?> SendAsync(PeerBatchSender sender, RenewalHandler handler, int epoch)
    {
        var message = OutboxMessage.Create(TypedId.Parse<NationCode>("FR"), new RenewalMessage(new LeaseRenewal(s_job, epoch)), DateTimeOffset.UnixEpoch);
        return sender.TrySendAsync(message, handler, handler.WireBody(message.Message));
    }
}
