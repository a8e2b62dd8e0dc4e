using Federation.Contracts.Grains;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Protocol.Messages;
using Federation.Protocol.Roster;
using Federation.Silo.Peering;
using Federation.Silo.Trust;

namespace Federation.Silo.Jobs;

/// <summary>
/// Carries job messages between nations over the federation API (mutual TLS, the message id as
/// <c>Federation-Request-Id</c>), or straight to the local grain when this nation is the receiver,
/// and tells the sending grain how it ended. Never throws into the grain.
/// </summary>
/// <remarks>
/// One HTTP client per peer, kept while the peer's roster entry (endpoint and pins) stays the same:
/// its connections are pooled (and renewed after <see cref="PeerHttpClientFactory.PooledConnectionLifetime"/>),
/// so that a stream of offers and reports pays for a TLS handshake per connection, not per message.
/// At most <see cref="MaxInFlightPerPeer"/> messages to one peer are on the wire at once (so at
/// most that many connections); the others wait their turn. The receiver still checks the sender's
/// pin on every request.
/// </remarks>
public sealed partial class FederationCourier(
    IGrainFactory grains,
    LocalNation local,
    RosterStore roster,
    PeerHttpClientFactory clients,
    OfferTerms offerTerms,
    ILogger<FederationCourier> logger) : IFederationCourier, IDisposable
{
    /// <summary>Most messages to one peer on the wire at once.</summary>
    public const int MaxInFlightPerPeer = 16;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_queueTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _linksLock = new();
    private readonly Dictionary<string, PeerLink> _links = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <inheritdoc />
    public void Send(OutboxMessage message, IOutboxClient replyTo) => _ = Task.Run(async () =>
    {
        Delivery delivery;
        try
        {
            delivery = message.To == local.Code ? await DeliverLocallyAsync(message) : await DeliverRemotelyAsync(message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            delivery = Delivery.Failed(e.GetBaseException().Message);
        }

        try
        {
            await replyTo.DeliveredAsync(message.Id, delivery);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The grain retries unacknowledged messages on its own timer.
            LogReplyFailed(logger, message.Kind, message.To.Value, e);
        }
    });

    private async Task<Delivery> DeliverLocallyAsync(OutboxMessage message)
    {
        if (message.Message is OfferMessage { Offer: var offer })
        {
            // Admission checks every foreign input's signed terms, here as in any receiver.
            offer = await offerTerms.AttachAsync(offer, local.Code, CancellationToken.None);
            var admission = await grains.GetGrain<IExecutionGrain>(IExecutionGrain.KeyOf(offer.Job, offer.Epoch)).OfferAsync(local.Code, offer);
            return new Delivery { Delivered = true, Admission = admission };
        }

        if (message.Message is ReportMessage { Report: var report })
        {
            var answer = await grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(report.Job)).ReportAsync(local.Code, report);
            return new Delivery { Delivered = true, ReportAnswer = answer };
        }

        if (message.Message is CancellationMessage { Cancellation: var cancellation })
        {
            await grains.GetGrain<IExecutionGrain>(IExecutionGrain.KeyOf(cancellation.Job, cancellation.Epoch)).CancelAsync(local.Code, cancellation);
            return new Delivery { Delivered = true };
        }

        if (message.Message is RenewalMessage { Renewal: var renewal })
        {
            var answer = await grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(renewal.Job)).RenewLeaseAsync(local.Code, renewal.Epoch);
            return new Delivery { Delivered = true, LeaseAnswer = answer };
        }

        return Delivery.Failed("empty message");
    }

    private async Task<Delivery> DeliverRemotelyAsync(OutboxMessage message)
    {
        var peer = roster.Find(message.To.Value);
        if (peer is null)
        {
            return Delivery.Failed($"{message.To} is not on the federation roster");
        }

        var path = message.Message.Route;
        var body = message.Message switch
        {
            OfferMessage { Offer: var o } => await offerTerms.AttachAsync(o, message.To, CancellationToken.None),
            ReportMessage { Report: var r } => r,
            CancellationMessage { Cancellation: var c } => c,
            RenewalMessage { Renewal: var l } => (object)l,
            _ => throw new InvalidOperationException($"no route for a {message.Kind}"),
        };

        var link = Link(peer);
        if (!await link.Gate.WaitAsync(s_queueTimeout))
        {
            return Delivery.Failed($"{MaxInFlightPerPeer} messages to {message.To} were on their way for {s_queueTimeout.TotalSeconds:0} s; this one was not sent");
        }

        try
        {
            using var timeout = new CancellationTokenSource(s_timeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = JsonContent.Create(body, body.GetType(), options: FederationJson.Options),
            }.WithRequestId(message.Id);
            using var response = await link.Client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(timeout.Token);
                return Delivery.Failed($"{message.To} answered HTTP {(int)response.StatusCode}: {(detail.Length > 300 ? detail[..300] : detail)}");
            }

            return message.Message switch
            {
                OfferMessage => new Delivery { Delivered = true, Admission = await response.Content.ReadFromJsonAsync<Admission>(FederationJson.Options, timeout.Token) },
                ReportMessage => new Delivery { Delivered = true, ReportAnswer = await response.Content.ReadFromJsonAsync<ReportAnswer>(FederationJson.Options, timeout.Token) },
                RenewalMessage => new Delivery { Delivered = true, LeaseAnswer = await response.Content.ReadFromJsonAsync<LeaseAnswer>(FederationJson.Options, timeout.Token) },
                _ => new Delivery { Delivered = true },
            };
        }
        finally
        {
            link.Gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_linksLock)
        {
            _disposed = true;
            foreach (var link in _links.Values)
            {
                link.Client.Dispose();
            }

            _links.Clear();
        }
    }

    /// <summary>The client of <paramref name="peer"/> as its roster entry is now; a changed entry gets a new one.</summary>
    private PeerLink Link(RosterEntry peer)
    {
        var identity = $"{peer.BaseAddress}|{string.Join(',', peer.Pins.Order(StringComparer.Ordinal))}";
        PeerLink? replaced = null;
        PeerLink link;
        lock (_linksLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_links.TryGetValue(peer.Code, out var existing) && existing.Identity == identity)
            {
                return existing;
            }

            replaced = existing;
            link = new PeerLink(identity, clients.CreateClient(peer), new SemaphoreSlim(MaxInFlightPerPeer));
            _links[peer.Code] = link;
        }

        if (replaced is not null)
        {
            // Requests already on the old client finish (or time out) first.
            _ = Task.Delay(s_queueTimeout + s_timeout).ContinueWith(_ => replaced.Client.Dispose(), TaskScheduler.Default);
        }

        return link;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the sending grain how a {Kind} to {Nation} ended; it will retry")]
    private static partial void LogReplyFailed(ILogger logger, string kind, string nation, Exception exception);

    private sealed record PeerLink(string Identity, HttpClient Client, SemaphoreSlim Gate);
}
