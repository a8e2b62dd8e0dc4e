using System.Collections.Concurrent;
using Federation.Contracts.Json;
using Federation.Grains.Nations;
using Federation.Protocol.Usage;
using Federation.Protocol.Wire;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Shares;

/// <summary>
/// Every <see cref="ShareOptions.ReportInterval"/>, sends each peer of the roster a report of the usage
/// this nation ran per origin nation and consortium since the last report that peer accepted (or since
/// this process started), signed with the nation's federation key. Nothing is sent with peering off
/// (no key) or the share rules off.
/// </summary>
public sealed partial class UsageReporter(
    ShareLedgerService ledger,
    RosterStore roster,
    LocalNation local,
    NationIdentity identity,
    PeerHttpClientFactory clients,
    IOptions<ShareOptions> options,
    TimeProvider time,
    ILogger<UsageReporter> logger) : BackgroundService
{
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _accepted = new(StringComparer.Ordinal);

    /// <summary>Sends one round of reports, one per peer; returns each peer's HTTP status (0: unreachable).</summary>
    public async Task<IReadOnlyDictionary<string, int>> SendAsync(CancellationToken ct)
    {
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        if (identity.Certificate is not { } certificate || !options.Value.Enabled)
        {
            return statuses;
        }

        foreach (var peer in roster.Entries.Where(e => e.Code != local.Code.Value))
        {
            var to = time.GetUtcNow();
            var from = _accepted.TryGetValue(peer.Code, out var last) ? last : _started;
            if (from < to - ShareLedgerService.ReportHorizon)
            {
                from = to - ShareLedgerService.ReportHorizon;
            }

            if (to <= from)
            {
                continue;
            }

            var report = UsageReportSignature.Sign(await ledger.ReportAsync(from, to), certificate);
            var status = 0;
            try
            {
                using var client = clients.CreateClient(peer);
                client.Timeout = TimeSpan.FromSeconds(30);
                using var request = new HttpRequestMessage(HttpMethod.Post, UsageReportRoutes.Reports)
                {
                    Content = JsonContent.Create(report, options: FederationJson.Options),
                }.WithRequestId(Guid.NewGuid());
                using var response = await client.SendAsync(request, ct);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    _accepted[peer.Code] = to;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Security.Authentication.AuthenticationException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                status = 0;
            }

            statuses[peer.Code] = status;
            LogSent(logger, report.Report.Sequence, peer.Code, status);
        }

        return statuses;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SendAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 7182, Level = LogLevel.Debug, Message = "Sent usage report {Sequence} to {Peer}: HTTP {Status} (0: unreachable)")]
    private static partial void LogSent(ILogger logger, long sequence, string peer, int status);

    [LoggerMessage(EventId = 7183, Level = LogLevel.Warning, Message = "A round of usage reports failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
