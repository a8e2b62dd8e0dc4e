using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Grains.Jobs;
using Federation.Protocol.Roster;

namespace Federation.Silo.Overview;

/// <summary>
/// Decides what the overview shows from the facts: pure (no I/O, no clock), so every rule of the page
/// is unit-tested here and the renderer only writes it out.
/// </summary>
public static class OverviewBuilder
{
    /// <summary>Most pending jobs listed.</summary>
    public const int MaxPending = 20;

    /// <summary>Most refusals listed.</summary>
    public const int MaxRefusals = 10;

    /// <summary>States a placed job can be in, in the order the flow table lists them.</summary>
    public static IReadOnlyList<string> FlowStates { get; } =
        [.. new[] { JobState.Offered, JobState.Admitted, JobState.Queued, JobState.Running, JobState.Succeeded, JobState.Failed, JobState.Cancelled, JobState.TimedOut }.Select(JobEvents.Name)];

    /// <summary>The page's content for <paramref name="facts"/>.</summary>
    public static OverviewModel Build(OverviewFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var nations = Nations(facts);
        var states = facts.Jobs.GroupBy(j => j.State).OrderBy(g => g.Key)
            .Select(g => new KeyValuePair<string, int>(JobEvents.Name(g.Key), g.Count())).ToList();
        var flows = facts.Jobs
            .Where(j => j.Nation is not null && FlowStates.Contains(JobEvents.Name(j.State)))
            .GroupBy(j => (Origin: j.Ref.Origin.Value, Target: j.Nation!.Value.Value))
            .OrderBy(g => g.Key.Origin, StringComparer.Ordinal).ThenBy(g => g.Key.Target, StringComparer.Ordinal)
            .Select(g => new FlowRow(g.Key.Origin, g.Key.Target, g.GroupBy(j => JobEvents.Name(j.State)).ToDictionary(s => s.Key, s => s.Count(), StringComparer.Ordinal)))
            .ToList();
        var pending = facts.Jobs.Where(IsPending).OrderBy(j => j.UpdatedAt).ThenBy(j => j.Ref.ToString(), StringComparer.Ordinal).ToList();
        var refusals = facts.Refusals.OrderByDescending(e => e.Time).Take(MaxRefusals)
            .Select(e => new RefusalRow(e.Time, e.Job, e.Peer, e.Rule ?? "(no rule named)", string.Join("; ", e.Detail.Select(d => $"{d.Key}={d.Value}"))))
            .ToList();
        var silos = facts.Silos.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        return new OverviewModel(
            facts.Local.Value,
            facts.Now,
            nations,
            states,
            facts.Jobs.Count,
            facts.JobsTruncated,
            flows,
            [.. pending.Take(MaxPending).Select(j => new PendingRow(j.Ref.ToString(), JobEvents.Name(j.State), j.StateReason.Length == 0 ? "(no reason recorded)" : j.StateReason, j.UpdatedAt))],
            pending.Count,
            refusals,
            silos,
            [.. nations.Where(n => n.LogFlagged)]);
    }

    /// <summary>True for a job that no nation holds yet: submitted, planned (pending when nothing fits) or requeued.</summary>
    public static bool IsPending(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.State is JobState.Submitted or JobState.Planned or JobState.Requeued;
    }

    private static List<NationRow> Nations(OverviewFacts facts)
    {
        var local = facts.Local.Value;
        var peers = facts.Peers.ToDictionary(p => p.Nation.Value, StringComparer.Ordinal);
        var rows = new List<NationRow>();
        var roster = facts.Roster.DistinctBy(e => e.Code, StringComparer.Ordinal).ToList();
        if (!roster.Any(e => e.Code == local))
        {
            // A nation alone (no roster yet) still shows itself.
            roster.Add(new RosterEntry(local, facts.LocalAdvert?.Name ?? local, "", [], []));
        }

        foreach (var entry in roster)
        {
            var isLocal = entry.Code == local;
            var peer = isLocal ? null : peers.GetValueOrDefault(entry.Code);
            var advert = isLocal ? facts.LocalAdvert : peer?.LastAdvert;
            var health = isLocal ? "this nation" : Health(peer?.Health ?? PeerHealth.Unknown);
            var reason = isLocal || peer is null || peer.Health == PeerHealth.Reachable ? null : NullIfEmpty(peer.HealthReason) ?? NullIfEmpty(peer.LastError);
            var log = isLocal ? "own log" : peer?.Transparency ?? "unchecked";
            var flagged = log is "inconsistent" or "truncated" or "bad-signature";
            var name = advert is not null && advert.Name != entry.Name ? $"{entry.Name} (advertises \"{advert.Name}\")" : entry.Name;
            var protocols = advert is { ProtocolVersions.Length: > 0 }
                ? string.Join(", ", advert.ProtocolVersions.Select(v => v.ToString(CultureInfo.InvariantCulture)))
                : string.Join(", ", entry.ProtocolVersions);
            rows.Add(new NationRow(
                entry.Code,
                name,
                isLocal,
                health,
                reason,
                protocols,
                advert is null ? [] : [.. advert.Accelerators.OrderBy(a => a.Slug.Value, StringComparer.Ordinal)],
                advert?.GridIntensityGco2PerKwh,
                advert?.GridZone,
                advert?.Pue,
                null,
                peer is null ? [] : [.. peer.Flags],
                log,
                flagged,
                flagged ? peer?.TransparencyReason ?? "(no reason recorded)" : null,
                peer?.LastAdvertAt));
        }

        return [.. rows.OrderBy(r => r.IsLocal ? 0 : 1).ThenBy(r => r.Code, StringComparer.Ordinal)];
    }

    private static string Health(PeerHealth health) => health switch
    {
        PeerHealth.Reachable => "reachable",
        PeerHealth.Unreachable => "unreachable",
        _ => "unknown",
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
