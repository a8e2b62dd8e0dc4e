using System.Globalization;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Routing.Trust;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Peers;

/// <summary>
/// This nation's view of one peer: the last good advert, health judged by the time since it
/// arrived, and an outbound circuit breaker. Soft state: a restarted silo learns it again within
/// one advert interval, so it is kept in memory.
/// </summary>
[GrainType("peer")]
public sealed partial class PeerGrain(PeerLinkSettings settings, TimeProvider time, ILogger<PeerGrain> logger) : Grain, IPeerGrain
{
    private const int FailuresBeforeOpening = 3;

    private PeerStatus _status = null!;
    private PeerHealth _reported = PeerHealth.Unknown;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _status = new PeerStatus { Nation = TypedId.Parse<NationCode>(key["peer-".Length..]), HealthReason = "not heard from yet" };
        var period = settings.AdvertInterval / 2;
        this.RegisterGrainTimer(
            _ =>
            {
                Evaluate();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions { DueTime = period, Period = period, KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<PeerStatus> GetAsync() => Task.FromResult(Evaluate());

    /// <inheritdoc />
    public Task<PeerStatus> RecordAdvertAsync(CapabilityAdvert advert)
    {
        var now = time.GetUtcNow();
        var (replaces, reason) = AdvertBounds.Supersedes(advert, _status.LastAdvert, _status.LastAdvertAt, now, settings.ResyncAfter);
        if (!replaces)
        {
            LogAdvertIgnored(logger, _status.Nation.Value, reason);
            return Task.FromResult(Evaluate());
        }

        // The peer is alive and talking: close the outbound breaker so that our adverts reach it again at once,
        // and forget the error of a push that failed before (typically: it had not started yet), which
        // would otherwise stand next to 'reachable' until our next push succeeds.
        _status = _status with { LastAdvert = advert, LastAdvertAt = now, CircuitOpenUntil = null, ConsecutiveFailures = 0, LastError = null };
        return Task.FromResult(Evaluate());
    }

    /// <inheritdoc />
    public Task RecordRejectedAdvertAsync(string reason)
    {
        _status = _status with { RejectedAdverts = _status.RejectedAdverts + 1 };
        LogAdvertRejected(logger, _status.Nation.Value, reason);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<PeerStatus> RecordOutboundAsync(bool succeeded, double roundTripMs, string? error)
    {
        var now = time.GetUtcNow();
        if (succeeded)
        {
            _status = _status with { LastContact = now, RoundTripMs = roundTripMs, ConsecutiveFailures = 0, LastError = null, CircuitOpenUntil = null };
        }
        else
        {
            var failures = _status.ConsecutiveFailures + 1;
            var open = failures >= FailuresBeforeOpening
                ? now + TimeSpan.FromTicks(Math.Min(settings.AdvertInterval.Ticks * (1L << Math.Min(failures - FailuresBeforeOpening, 4)), settings.AdvertInterval.Ticks * 8))
                : (DateTimeOffset?)null;
            _status = _status with { ConsecutiveFailures = failures, LastError = error, CircuitOpenUntil = open };
        }

        return Task.FromResult(Evaluate());
    }

    private PeerStatus Evaluate()
    {
        var now = time.GetUtcNow();
        var (health, reason) = _status.LastAdvertAt switch
        {
            null => (PeerHealth.Unknown, "no advert received yet"),
            { } at when now - at > settings.UnreachableAfter =>
                (PeerHealth.Unreachable, $"no advert for {(now - at).TotalSeconds:0.#} s (more than {PeerLinkSettings.MissedIntervalsLimit} intervals of {settings.AdvertInterval.TotalSeconds:0.###} s)"),
            { } at => (PeerHealth.Reachable, $"advert received {(now - at).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s ago"),
        };
        _status = _status with { Health = health, HealthReason = reason };
        Diagnostics.FederationMetrics.PeerReported(_status.Nation.Value, health);
        if (health != _reported)
        {
            LogHealthChanged(logger, _status.Nation.Value, _reported, health, reason);
            _reported = health;
        }

        return _status;
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Peer {Nation}: {From} -> {To} ({Reason})")]
    private static partial void LogHealthChanged(ILogger logger, string nation, PeerHealth from, PeerHealth to, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "Advert from {Nation} ignored: {Reason}")]
    private static partial void LogAdvertIgnored(ILogger logger, string nation, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Advert from {Nation} refused: {Reason}")]
    private static partial void LogAdvertRejected(ILogger logger, string nation, string reason);
}
