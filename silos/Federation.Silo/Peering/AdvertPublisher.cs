using System.Diagnostics;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Silo.Hosting;
using Federation.Protocol.Roster;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Peering;

/// <summary>
/// Pushes this nation's advert to every rostered peer: at once when it changes, and at least once
/// per interval. Network I/O lives here, outside grains; outcomes go to each peer's grain, whose
/// circuit breaker makes this skip a failing peer for a while.
/// </summary>
public sealed partial class AdvertPublisher(
    AdvertBuilder builder,
    RosterStore roster,
    PeerHttpClientFactory clients,
    IGrainFactory grains,
    Federation.Grains.Nations.LocalNation local,
    StartupState startup,
    SpokenProtocol protocol,
    IOptions<PeeringOptions> options,
    TimeProvider time,
    ILogger<AdvertPublisher> logger) : BackgroundService
{
    private readonly Dictionary<string, (HttpClient Client, RosterEntry Entry)> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastPushed = new(StringComparer.Ordinal);
    private CapabilityAdvert? _lastContent;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.AdvertInterval;
        using var ticks = new PeriodicTimer(interval / 4, time);
        do
        {
            if (!startup.IsReady)
            {
                continue;
            }

            try
            {
                await PublishAsync(interval, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPublishFailed(logger, e);
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PublishAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var advert = await builder.BuildAsync(cancellationToken);
        var changed = !advert.SameContent(_lastContent);
        _lastContent = advert;
        var now = time.GetUtcNow();
        var peers = roster.Entries.Where(e => e.Code != local.Code.Value).ToList();
        var due = peers.Where(p => changed || !_lastPushed.TryGetValue(p.Code, out var at) || now - at >= interval).ToList();
        await Task.WhenAll(due.Select(p => PushAsync(p, advert, now, cancellationToken)));
    }

    private async Task PushAsync(RosterEntry peer, CapabilityAdvert advert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!NationCode.TryParse(peer.Code, out var code, out _))
        {
            return;
        }

        var grain = grains.GetGrain<IPeerGrain>(IPeerGrain.KeyOf(code));
        var status = await grain.GetAsync();
        if (status.CircuitOpenUntil is { } openUntil && openUntil > now)
        {
            return;
        }

        _lastPushed[peer.Code] = now;
        var clock = Stopwatch.StartNew();
        try
        {
            // Written in the version both speak (the peer's roster entry says which it speaks): its strict reader refuses a
            // member of a later version.
            var writing = SpokenProtocol.Writing(protocol.With(peer.ProtocolVersions));
            using var request = new HttpRequestMessage(HttpMethod.Post, FederationRoutes.Adverts) { Content = JsonContent.Create(advert, options: writing) }
                .WithRequestId(Guid.NewGuid());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await Client(peer).SendAsync(request, timeout.Token);
            var error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
            await grain.RecordOutboundAsync(error is null, clock.Elapsed.TotalMilliseconds, error);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Security.Authentication.AuthenticationException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await grain.RecordOutboundAsync(false, clock.Elapsed.TotalMilliseconds, e.GetBaseException().Message);
        }
    }

    private HttpClient Client(RosterEntry peer)
    {
        if (_clients.TryGetValue(peer.Code, out var cached) && cached.Entry == peer)
        {
            return cached.Client;
        }

        cached.Client?.Dispose();
        var client = clients.CreateClient(peer);
        _clients[peer.Code] = (client, peer);
        return client;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var (client, _) in _clients.Values)
        {
            client.Dispose();
        }

        base.Dispose();
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Publishing the advert failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
