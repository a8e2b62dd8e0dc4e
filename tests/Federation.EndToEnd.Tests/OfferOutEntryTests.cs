using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Jobs;
using Federation.Protocol.Messages;
using Federation.Silo.Transparency;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Two in-process nations over real mutual TLS: an offer DE's courier sends to FR is one
/// <c>federation-request-out</c> entry in DE's log (peer FR, the epoch, the request id, the outcome,
/// the owner only as DE's digest), and a retry of the same message adds none.
/// </summary>
public sealed class OfferOutEntryTests
{
    private const string Owner = "ana@example.org";

    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
        ["Federation:Transparency:HeadInterval"] = "01:00:00",
        ["Federation:Transparency:PeerCheckInterval"] = "01:00:00",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobOffer Offer(string id) => JsonSerializer.Deserialize<JobOffer>(new JsonObject
    {
        ["job"] = $"DE/{id}",
        ["epoch"] = 1,
        ["leaseSeconds"] = 30,
        ["spec"] = new JsonObject
        {
            ["id"] = id,
            ["owner"] = new JsonObject { ["user"] = Owner },
            ["purpose"] = new JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new JsonObject { ["count"] = 1 },
            ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = 60,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        },
    }.ToJsonString(), FederationJson.Options)!;

    [Fact]
    public async Task OfferSentByDesCourier_OneRequestOutEntryInDe_NotOnePerRetry()
    {
        await using var nations = await TwoNations.StartAsync(s_settings);
        using var frApi = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/") };
        using var deApi = new HttpClient { BaseAddress = new Uri(nations.De.ApiUrl + "/") };
        Assert.Equal(HttpStatusCode.Created, (await frApi.PostAsJsonAsync("api/v1/nodes", new JsonObject { ["id"] = "fr-gpu", ["site"] = "lab", ["accelerator"] = "a100-80gb-sxm", ["count"] = 2 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await frApi.PostAsJsonAsync("api/v1/nodes/fr-gpu/heartbeat", new JsonObject(), Ct)).StatusCode);
        var courier = nations.De.Services.GetRequiredService<IFederationCourier>();
        var message = OutboxMessage.Create(TypedId.Parse<NationCode>("FR"), new OfferMessage(Offer("sent-1")), DateTimeOffset.UtcNow);
        var replies = new Replies();

        courier.Send(message, replies);
        var first = await replies.NextAsync();
        Assert.True(first.Delivered, first.Error);
        Assert.True(first.Admission!.Admitted, first.Admission.Reason);

        // The same message again (a retry: same request id): FR answers it again, DE logs nothing more.
        courier.Send(message, replies);
        var second = await replies.NextAsync();
        Assert.True(second.Delivered, second.Error);

        var entries = await Eventually.WaitAsync(
            async () => (await deApi.GetFromJsonAsync<JsonObject>("api/v1/audit/entries?kind=federation-request-out&job=DE/sent-1", Ct))!["items"]!.AsArray().OfType<JsonObject>().ToList(),
            e => e.Count > 0,
            TimeSpan.FromSeconds(60),
            "DE to log its offer of DE/sent-1 to FR as a federation-request-out entry",
            TimeSpan.FromMilliseconds(100));
        var entry = Assert.Single(entries);
        Assert.Null(entry["problem"]);
        Assert.Equal("FR", entry["peer"]!.GetValue<string>());
        Assert.Equal("offer", entry["detail"]!["message"]!.GetValue<string>());
        Assert.Equal("1", entry["detail"]!["epoch"]!.GetValue<string>());
        Assert.Equal("admitted", entry["detail"]!["outcome"]!.GetValue<string>());
        Assert.Equal(message.Id.ToString("D"), entry["detail"]!["request"]!.GetValue<string>());
        Assert.Equal(nations.De.Services.GetRequiredService<TransparencyRecorder>().Digest(Owner), entry["subject"]!.GetValue<string>());
        Assert.DoesNotContain(Owner, entry.ToJsonString(), StringComparison.Ordinal);

        // The receiver's side of the same offer is FR's federation-request-in entry.
        await Eventually.WaitAsync(
            async () => (await frApi.GetFromJsonAsync<JsonObject>("api/v1/audit/entries?kind=federation-request-in&job=DE/sent-1", Ct))!["items"]!.AsArray().Count,
            n => n > 0,
            TimeSpan.FromSeconds(60),
            "FR to log DE's offer of DE/sent-1 as a federation-request-in entry",
            TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Stands in for the sending grain: collects how each send ended.</summary>
    private sealed class Replies : IOutboxClient
    {
        private readonly Channel<Delivery> _ended = Channel.CreateUnbounded<Delivery>();

        public Task DeliveredAsync(Guid messageId, Delivery delivery) => _ended.Writer.WriteAsync(delivery).AsTask();

        public async Task<Delivery> NextAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            return await _ended.Reader.ReadAsync(timeout.Token);
        }
    }
}
