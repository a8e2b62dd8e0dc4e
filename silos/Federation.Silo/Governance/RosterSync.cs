using System.Text.Json;
using Federation.Grains.Nations;
using Federation.Protocol.Roster;
using Federation.Protocol.Wire;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Governance;

/// <summary>
/// Spreads roster versions between members. A version this nation applies is offered at once to
/// every nation of the old and the new roster (<c>POST /federation/v1/roster/versions</c>); and every
/// <see cref="PeeringOptions.AdvertInterval"/> this nation asks each peer for its version in force
/// (<c>GET /federation/v1/roster</c>) and, when a peer is ahead, fetches the versions it misses one
/// by one and offers them to <see cref="RosterGovernance"/>, which checks each as usual.
/// </summary>
public sealed partial class RosterSync : BackgroundService
{
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    private readonly RosterGovernance _governance;
    private readonly RosterStore _roster;
    private readonly PeerHttpClientFactory _clients;
    private readonly LocalNation _local;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<RosterSync> _logger;

    /// <summary>Creates the service and subscribes to applied versions.</summary>
    public RosterSync(RosterGovernance governance, RosterStore roster, PeerHttpClientFactory clients, LocalNation local, IOptions<PeeringOptions> options, TimeProvider time, ILogger<RosterSync> logger)
    {
        ArgumentNullException.ThrowIfNull(governance);
        ArgumentNullException.ThrowIfNull(options);
        _governance = governance;
        _roster = roster;
        _clients = clients;
        _local = local;
        _interval = options.Value.AdvertInterval;
        _time = time;
        _logger = logger;
        governance.Applied += OnApplied;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticks = new PeriodicTimer(_interval, _time);
        do
        {
            foreach (var peer in Peers(_roster.Entries))
            {
                try
                {
                    await PullAsync(peer, stoppingToken);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException or FormatException or System.Security.Authentication.AuthenticationException)
                {
                    if (stoppingToken.IsCancellationRequested)
                    {
                        return;
                    }

                    var reason = e.GetBaseException().Message;
                    LogPullFailed(_logger, peer.Code, reason);
                }
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken));
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _governance.Applied -= OnApplied;
        base.Dispose();
    }

    private IEnumerable<RosterEntry> Peers(IEnumerable<RosterEntry> entries) => entries.Where(e => e.Code != _local.Code.Value);

    private async Task PullAsync(RosterEntry peer, CancellationToken cancellationToken)
    {
        var theirs = await GetAsync(peer, RosterRoutes.Current, cancellationToken);
        var mine = _roster.Current.Version;
        for (var next = mine + 1; theirs is not null && next <= theirs.Version; next++)
        {
            var version = next == theirs.Version ? theirs : await GetAsync(peer, RosterRoutes.Version(next), cancellationToken);
            if (version is null)
            {
                return;
            }

            var outcome = await _governance.SubmitAsync(version, peer.Code, cancellationToken);
            if (outcome.Outcome == RosterOutcome.Refused)
            {
                return;
            }
        }
    }

    private async Task<SignedRoster?> GetAsync(RosterEntry peer, string path, CancellationToken cancellationToken)
    {
        using var client = _clients.CreateClient(peer);
        using var request = new HttpRequestMessage(HttpMethod.Get, path).WithRequestId(Guid.NewGuid());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_requestTimeout);
        using var response = await client.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            var reason = $"GET {path}: HTTP {(int)response.StatusCode}";
            LogPullFailed(_logger, peer.Code, reason);
            return null;
        }

        return SignedRoster.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
    }

    private void OnApplied(SignedRoster version)
    {
        var previous = _governance.Find(version.Version - 1)?.Nations ?? [];
        var targets = Peers(version.Nations.Concat(previous)).DistinctBy(e => e.Code).ToList();
        _ = Task.Run(() => Task.WhenAll(targets.Select(t => OfferAsync(t, version))));
    }

    private async Task OfferAsync(RosterEntry peer, SignedRoster version)
    {
        try
        {
            using var client = _clients.CreateClient(peer);
            using var request = new HttpRequestMessage(HttpMethod.Post, RosterRoutes.Versions)
            {
                Content = JsonContent.Create(version, options: RosterDocument.JsonOptions),
            }.WithRequestId(Guid.NewGuid());
            using var timeout = new CancellationTokenSource(s_requestTimeout);
            using var response = await client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                LogOfferRefused(_logger, version.Version, peer.Code, (int)response.StatusCode, body);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
        {
            var reason = e.GetBaseException().Message;
            LogOfferFailed(_logger, version.Version, peer.Code, reason);
        }
    }

    [LoggerMessage(EventId = 5364, Level = LogLevel.Debug, Message = "Asking {Peer} for its roster version failed: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 5365, Level = LogLevel.Warning, Message = "Roster version {Version} offered to {Peer} was answered {Status}: {Body}")]
    private static partial void LogOfferRefused(ILogger logger, long version, string peer, int status, string body);

    [LoggerMessage(EventId = 5366, Level = LogLevel.Information, Message = "Roster version {Version} could not be offered to {Peer} (it will fetch it): {Reason}")]
    private static partial void LogOfferFailed(ILogger logger, long version, string peer, string reason);
}
