using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;
using Federation.Silo.Jobs.Dispatch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Jobs;

/// <summary>
/// The batch sender's statistics line (what the throughput benchmark reads for messages per request):
/// logged every <see cref="PeerBatchSender.StatisticsEvery"/> with the totals so far, only when more were sent.
/// </summary>
public sealed class PeerBatchSenderStatisticsTests
{
    private static readonly NationCode s_fr = TypedId.Parse<NationCode>("FR");
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("FR/train-1");

    [Fact]
    public async Task Statistics_TwoBatches_LoggedOnceWithTheTotalsAndNotAgainWithoutTraffic()
    {
        var time = new FakeTimeProvider();
        var logger = new Lines();
        var client = new HttpClient(new Peer()) { BaseAddress = new Uri("https://fr.example/") };
        using var sender = new PeerBatchSender("FR", client, new SemaphoreSlim(4), new BatchBounds(3, 1 << 20, TimeSpan.FromMilliseconds(2)), time, logger);
        var renewals = new FederationDispatch(new RecordingGrains().Factory).Renewals;

        // Two full batches of 3 (the bound), each one request.
        await Task.WhenAll(Enumerable.Range(1, 3).Select(e => Send(sender, renewals, e)));
        await Task.WhenAll(Enumerable.Range(4, 3).Select(e => Send(sender, renewals, e)));
        Assert.Empty(logger.Written);
        time.Advance(PeerBatchSender.StatisticsEvery);
        Assert.Equal(["Batches to FR: 6 messages in 2 requests so far (3.00 per request; largest so far 3)"], logger.Written);

        time.Advance(PeerBatchSender.StatisticsEvery);
        Assert.Single(logger.Written);
    }

    private static Task<Delivery?> Send(PeerBatchSender sender, RenewalHandler handler, int epoch)
    {
        var message = OutboxMessage.Create(s_fr, new RenewalMessage(new LeaseRenewal(s_job, epoch)), DateTimeOffset.UnixEpoch);
        return sender.TrySendAsync(message, handler, handler.WireBody(message.Message));
    }

    /// <summary>A peer that takes batches of up to 10 and keeps every renewal running.</summary>
    private sealed class Peer : HttpMessageHandler
    {
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

    /// <summary>The Information lines written, formatted.</summary>
    private sealed class Lines : ILogger
    {
        private readonly List<string> _written = [];

        public IReadOnlyList<string> Written
        {
            get
            {
                lock (_written)
                {
                    return [.. _written];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_written)
            {
                _written.Add(formatter(state, exception));
            }
        }
    }
}
