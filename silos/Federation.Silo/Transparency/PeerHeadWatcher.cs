using Federation.Grains.Nations;
using Federation.Silo.Peering;
using Federation.Transparency.Peers;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Transparency;

/// <summary>
/// Every <see cref="TransparencyOptions.PeerCheckInterval"/>, fetches each rostered peer's latest
/// signed head and checks it against the peer's roster pins and the head kept before
/// (<see cref="PeerHeadMonitor"/>). A failure is kept as evidence and shown on the peers view; a
/// peer that cannot be reached is only logged. Idle when peering is off.
/// </summary>
public sealed partial class PeerHeadWatcher(
    PeerHeadMonitor monitor,
    RosterStore roster,
    NationIdentity identity,
    LocalNation local,
    TimeProvider time,
    IOptions<TransparencyOptions> options,
    ILogger<PeerHeadWatcher> logger) : BackgroundService
{
    /// <summary>Checks every rostered peer once; returns the outcomes (a peer that could not be read is left out).</summary>
    public async Task<IReadOnlyList<PeerHeadCheck>> CheckAllAsync(CancellationToken cancellationToken)
    {
        var checks = new List<PeerHeadCheck>();
        if (identity.Certificate is null)
        {
            return checks;
        }

        foreach (var peer in roster.Entries.Where(e => e.Code != local.Code.Value))
        {
            try
            {
                var check = await monitor.CheckAsync(peer.Code, RosterPins.Of(peer), cancellationToken);
                checks.Add(check);
                if (check.Status is not (PeerHeadStatus.Consistent or PeerHeadStatus.Unchecked))
                {
                    LogFlagged(logger, peer.Code, PeerHeadStatuses.Name(check.Status), check.Reason ?? "");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException or FormatException or System.Security.Authentication.AuthenticationException or Npgsql.NpgsqlException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                LogUnreadable(logger, peer.Code, e.Message);
            }
        }

        return checks;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PeerCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await CheckAllAsync(stoppingToken);
        }
    }

    [LoggerMessage(EventId = 6104, Level = LogLevel.Error, Message = "Transparency log of peer {Peer} flagged {Status}: {Reason}")]
    private static partial void LogFlagged(ILogger logger, string peer, string status, string reason);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Debug, Message = "Transparency log of peer {Peer} not checked this time: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string peer, string reason);
}
