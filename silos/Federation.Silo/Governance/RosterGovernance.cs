using Federation.Grains.Nations;
using Federation.Protocol.Roster;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Governance;

/// <summary>
/// Applies signed roster versions: each offered version is checked against the version in force
/// (<see cref="RosterRules.Check"/> at the current time), kept in the <see cref="IRosterVersionStore"/>,
/// put in force in the <see cref="RosterStore"/>, and written to the transparency log; a refused one
/// is logged and shown as <see cref="RosterStatus.LastRefusal"/>, and the roster in force stays. On
/// start, the kept chain is checked again from the roster file, each version at the time it was applied.
/// </summary>
public sealed partial class RosterGovernance(
    RosterStore roster,
    IRosterVersionStore store,
    LocalNation local,
    TimeProvider time,
    ILogger<RosterGovernance> logger,
    TransparencyRecorder? recorder = null) : IHostedService, IDisposable
{
    /// <summary>The <c>Source</c> of versions offered through the nation's own API.</summary>
    public const string LocalSource = "local";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<AppliedRosterVersion> _applied = [];
    private volatile RosterRefusal? _lastRefusal;

    /// <summary>Raised after a version was applied (not when restored on start).</summary>
    public event Action<SignedRoster>? Applied;

    /// <summary>The roster as this nation holds it now.</summary>
    public RosterStatus Status
    {
        get
        {
            var current = roster.Current;
            AppliedRosterVersion? last;
            lock (_applied)
            {
                last = _applied.Count == 0 ? null : _applied[^1];
            }

            return new RosterStatus(current.Version, RosterSigning.Digest(current), current.RequiredSignatures,
                last is null ? "file" : "signed", last?.AppliedAt, current, _lastRefusal);
        }
    }

    /// <summary>Version <paramref name="version"/> of the chain this nation holds (1 is the roster file), or null.</summary>
    public SignedRoster? Find(long version)
    {
        if (version == 1)
        {
            return roster.Bootstrap;
        }

        lock (_applied)
        {
            return _applied.FirstOrDefault(a => a.Roster.Version == version)?.Roster;
        }
    }

    /// <summary>Offers <paramref name="candidate"/> from <paramref name="source"/> (a peer's code or <see cref="LocalSource"/>).</summary>
    public async Task<RosterSubmission> SubmitAsync(SignedRoster candidate, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = roster.Current;
            if (candidate.Version == current.Version && RosterSigning.Digest(candidate) == RosterSigning.Digest(current))
            {
                return new RosterSubmission(RosterOutcome.AlreadyInForce, new RosterVerdict(true, null, [], []), current.Version);
            }

            var now = time.GetUtcNow();
            var verdict = RosterRules.Check(current, candidate, now);
            if (!verdict.Accepted)
            {
                _lastRefusal = new RosterRefusal(now, source, candidate.Version, verdict.Reason!);
                LogRefused(logger, candidate.Version, source, current.Version, verdict.Reason!);
                return new RosterSubmission(RosterOutcome.Refused, verdict, current.Version);
            }

            var applied = new AppliedRosterVersion(candidate, now);
            await store.SaveAsync(applied, cancellationToken);
            lock (_applied)
            {
                _applied.Add(applied);
            }

            roster.Install(candidate);
            var signers = string.Join(",", verdict.Signers);
            LogApplied(logger, candidate.Version, source, signers, candidate.Nations.Count);
            await RecordAsync(current, candidate, verdict, source);
            Applied?.Invoke(candidate);
            return new RosterSubmission(RosterOutcome.Applied, verdict, candidate.Version);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Restores the kept chain, checking each version again; stops at the first that fails.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var kept = await store.LoadAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var version in kept)
            {
                var verdict = RosterRules.Check(roster.Current, version.Roster, version.AppliedAt);
                if (!verdict.Accepted)
                {
                    _lastRefusal = new RosterRefusal(time.GetUtcNow(), "store", version.Roster.Version, "kept version does not follow the chain: " + verdict.Reason);
                    LogRestoreFailed(logger, version.Roster.Version, verdict.Reason!);
                    break;
                }

                lock (_applied)
                {
                    _applied.Add(version);
                }

                roster.Install(version.Roster);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task RecordAsync(SignedRoster previous, SignedRoster next, RosterVerdict verdict, string source)
    {
        if (recorder is null)
        {
            return;
        }

        var before = previous.Nations.ToDictionary(n => n.Code, StringComparer.Ordinal);
        var after = next.Nations.ToDictionary(n => n.Code, StringComparer.Ordinal);
        var added = after.Keys.Where(c => !before.ContainsKey(c)).Order(StringComparer.Ordinal);
        var removed = before.Keys.Where(c => !after.ContainsKey(c)).Order(StringComparer.Ordinal);
        var rekeyed = after.Where(a => before.TryGetValue(a.Key, out var b) && !a.Value.Pins.SequenceEqual(b.Pins, StringComparer.Ordinal)).Select(a => a.Key).Order(StringComparer.Ordinal);
        await recorder.RecordAsync(
            TransparencyEntryKind.RosterChange,
            peer: source == LocalSource ? local.Code.Value : source,
            rule: $"roster version {next.Version} signed by {verdict.Signers.Count} members of version {previous.Version} (quorum {previous.RequiredSignatures})",
            detail:
            [
                new("version", next.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("digest", RosterSigning.Digest(next)),
                new("previous", next.Previous),
                new("signers", string.Join(",", verdict.Signers)),
                new("added", string.Join(",", added)),
                new("removed", string.Join(",", removed)),
                new("keysChanged", string.Join(",", rekeyed)),
            ]);

        // This nation's own joining or leaving takes effect here: its membership entry says so.
        var self = local.Code.Value;
        if (after.ContainsKey(self) != before.ContainsKey(self))
        {
            await recorder.RecordAsync(
                TransparencyEntryKind.Membership,
                peer: source == LocalSource ? self : source,
                rule: after.ContainsKey(self) ? "join" : "leave",
                detail:
                [
                    new("version", next.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new("digest", RosterSigning.Digest(next)),
                    new("signers", string.Join(",", verdict.Signers)),
                    new("nations", string.Join(",", after.Keys.Order(StringComparer.Ordinal))),
                ]);
        }
    }

    [LoggerMessage(EventId = 5361, Level = LogLevel.Information, Message = "Roster version {Version} from {Source} applied: signed by {Signers}, {Count} nations")]
    private static partial void LogApplied(ILogger logger, long version, string source, string signers, int count);

    [LoggerMessage(EventId = 5362, Level = LogLevel.Warning, Message = "Roster version {Version} from {Source} refused, version {Current} stays in force: {Reason}")]
    private static partial void LogRefused(ILogger logger, long version, string source, long current, string reason);

    [LoggerMessage(EventId = 5363, Level = LogLevel.Error, Message = "Kept roster version {Version} does not follow the chain and is not restored: {Reason}")]
    private static partial void LogRestoreFailed(ILogger logger, long version, string reason);
}
