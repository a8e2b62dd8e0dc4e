using Federation.Protocol.Wire;
using Federation.Contracts.Grains;
using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Protocol.Messages;
using Federation.Protocol.Roster;
using Federation.Silo.Auth.Vouching;
using Federation.Silo.Jobs.Dispatch;
using Federation.Silo.Peering;
using Federation.Silo.Trust;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs;

/// <summary>
/// Carries job messages between nations over the federation API (mutual TLS, the message id as
/// <c>Federation-Request-Id</c>), or straight to the local grain when this nation is the receiver,
/// and tells the sending grain how it ended. Never throws into the grain. Both ways go through the
/// message's handler in <see cref="FederationDispatch"/> (route, body, receiving grain, answer).
/// </summary>
/// <remarks>
/// One HTTP client per peer, kept while the peer's roster entry (endpoint and pins) stays the same:
/// its connections are pooled (and renewed after <see cref="PeerHttpClientFactory.PooledConnectionLifetime"/>),
/// so that a stream of offers and reports pays for a TLS handshake per connection, not per message.
/// At most <see cref="MaxInFlightPerPeer"/> messages to one peer are on the wire at once (so at
/// most that many connections); the others wait their turn. The receiver still checks the sender's
/// pin on every request.
/// <para>
/// To a peer whose <c>hello</c> advertises batches (and with <c>Federation:Peering:Batch:Enabled</c>),
/// messages are coalesced by the peer's <see cref="PeerBatchSender"/> into one request of many entries,
/// each answered on its own; the message stays in the sending grain's outbox until its own entry is
/// acknowledged, exactly as when it travels alone.
/// </para>
/// </remarks>
public sealed partial class FederationCourier(
    FederationDispatch dispatch,
    LocalNation local,
    RosterStore roster,
    PeerHttpClientFactory clients,
    OfferTerms offerTerms,
    OfferVoucher voucher,
    IOptions<MessageBatchOptions> batchOptions,
    TimeProvider time,
    Federation.Silo.Transparency.RequestOutRecorder requestsOut,
    SpokenProtocol protocol,
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
        // The send is a span of the message's trace (the job's): the request carries it as `traceparent`
        // (a batch entry as its `traceParent`), so the receiver's spans join the sender's trace.
        using var span = Federation.Grains.Diagnostics.JobTracing.StartUnder($"send {message.Kind}", message.Message.Job.ToString(), message.TraceParent, System.Diagnostics.ActivityKind.Producer);
        span?.SetTag("federation.peer", message.To.Value);
        Delivery delivery;
        var remote = message.To != local.Code;
        try
        {
            delivery = remote ? await DeliverRemotelyAsync(message) : await DeliverLocallyAsync(message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            delivery = Delivery.Failed(e.GetBaseException().Message);
        }

        // A message that left for another nation is logged (as the request rules select), not on the grain's path.
        var logged = remote ? requestsOut.RecordAsync(message, delivery) : Task.FromResult<Federation.Transparency.LoggedEntry?>(null);
        try
        {
            await replyTo.DeliveredAsync(message.Id, delivery);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The grain retries unacknowledged messages on its own timer.
            LogReplyFailed(logger, message.Kind, message.To.Value, e);
        }

        await logged;
    });

    /// <summary>The message as it leaves this nation: an offer carries the signed terms of its foreign inputs and, abroad, the identity this nation vouches for.</summary>
    private async Task<FederationMessage> OutgoingAsync(OutboxMessage message)
    {
        if (message.Message is not OfferMessage { Offer: var offer })
        {
            return message.Message;
        }

        // Admission checks every foreign input's signed terms, in this nation as in any receiver.
        var attached = await offerTerms.AttachAsync(offer, message.To, CancellationToken.None);
        return new OfferMessage(message.To == local.Code ? attached : await voucher.VouchAsync(attached, CancellationToken.None));
    }

    private async Task<Delivery> DeliverLocallyAsync(OutboxMessage message) =>
        await dispatch.DeliverAsync(local.Code, await OutgoingAsync(message));

    private async Task<Delivery> DeliverRemotelyAsync(OutboxMessage message)
    {
        var peer = roster.Find(message.To.Value);
        if (peer is null)
        {
            return Delivery.Failed($"{message.To} is not on the federation roster");
        }

        var handler = dispatch.For(message.Message);
        var body = handler.WireBody(await OutgoingAsync(message));
        var link = Link(peer);

        // Written in the version both speak: members the peer's version does not have are left out.
        var version = protocol.With((await link.Hello.AskAsync())?.ProtocolVersions ?? peer.ProtocolVersions);
        if (link.Batches is { } batches && await batches.TrySendAsync(message, handler, body, version) is { } batched)
        {
            return batched;
        }

        if (!await link.Gate.WaitAsync(s_queueTimeout))
        {
            return Delivery.Failed($"{MaxInFlightPerPeer} messages to {message.To} were on their way for {s_queueTimeout.TotalSeconds:0} s; this one was not sent");
        }

        try
        {
            using var timeout = new CancellationTokenSource(s_timeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, handler.Route)
            {
                Content = JsonContent.Create(body, body.GetType(), options: SpokenProtocol.Writing(version)),
            }.WithRequestId(message.Id);
            using var response = await link.Client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(timeout.Token);
                return Delivery.Failed($"{message.To} answered HTTP {(int)response.StatusCode}: {(detail.Length > 300 ? detail[..300] : detail)}");
            }

            return await handler.ReadAnswerAsync(response.Content, timeout.Token);
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
                link.Batches?.Dispose();
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
            var client = clients.CreateClient(peer);
            var gate = new SemaphoreSlim(MaxInFlightPerPeer);
            var options = batchOptions.Value;
            var hello = new PeerHello(peer.Code, client, time, logger);
            var batches = options.Enabled ? new PeerBatchSender(peer.Code, client, gate, options.ToBounds(), time, logger, hello) : null;
            link = new PeerLink(identity, client, gate, hello, batches);
            _links[peer.Code] = link;
        }

        if (replaced is not null)
        {
            // Batches gathered for the old client are sent; requests already on it finish (or time out) first.
            replaced.Batches?.Dispose();
            _ = Task.Delay(s_queueTimeout + s_timeout).ContinueWith(_ => replaced.Client.Dispose(), TaskScheduler.Default);
        }

        return link;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the sending grain how a {Kind} to {Nation} ended; it will retry")]
    private static partial void LogReplyFailed(ILogger logger, string kind, string nation, Exception exception);

    private sealed record PeerLink(string Identity, HttpClient Client, SemaphoreSlim Gate, PeerHello Hello, PeerBatchSender? Batches);
}
