using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Peering;
using Federation.Silo.Trust;
using Federation.Transparency;
using Federation.Transparency.Peers;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Overview;

/// <summary>
/// Reads the facts of the overview (the I/O half; <see cref="OverviewBuilder"/> decides what they show):
/// the roster, the peer grains and log-head verdicts, this nation's advert, the job index, the
/// transparency log's recent refusals and Orleans' membership.
/// </summary>
public sealed class OverviewSource(
    RosterStore roster,
    LocalNation local,
    IGrainFactory grains,
    ClaimReferences references,
    IPeerHeadStore heads,
    AdvertBuilder adverts,
    IJobIndex jobs,
    ITransparencyLog log,
    ILocalSiloDetails silo,
    TimeProvider time,
    IOptions<OverviewOptions> options)
{
    /// <summary>How far back in the log refusals are looked for (entries of any kind).</summary>
    public const int RefusalWindow = TransparencyQuery.MaxLimit;

    /// <summary>The facts as of now.</summary>
    public async Task<OverviewFacts> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entries = roster.Entries;
        var peers = PeersAsync(entries, cancellationToken);
        var advert = adverts.BuildAsync(cancellationToken);
        var jobList = JobsAsync(cancellationToken);
        var refusals = RefusalsAsync(cancellationToken);
        var silos = SilosAsync();
        var (jobRecords, truncated) = await jobList;
        return new OverviewFacts(now, local.Code, entries, await advert, await peers, jobRecords, truncated, await refusals, await silos);
    }

    private async Task<IReadOnlyList<PeerStatus>> PeersAsync(IReadOnlyList<Protocol.Roster.RosterEntry> entries, CancellationToken cancellationToken)
    {
        var logs = (await heads.StatesAsync(cancellationToken)).ToDictionary(s => s.Peer, StringComparer.Ordinal);
        var result = new List<PeerStatus>();
        foreach (var entry in entries.Where(e => e.Code != local.Code.Value))
        {
            if (NationCode.TryParse(entry.Code, out var code, out _))
            {
                var status = await grains.GetGrain<IPeerGrain>(IPeerGrain.KeyOf(code)).GetAsync();
                var state = logs.GetValueOrDefault(entry.Code);
                result.Add(status with
                {
                    Flags = references.Flags(status),
                    Transparency = PeerHeadStatuses.Name(state?.Status ?? PeerHeadStatus.Unchecked),
                    TransparencyReason = state?.Flag?.Reason,
                });
            }
        }

        return result;
    }

    private async Task<(IReadOnlyList<JobRecord> Jobs, bool Truncated)> JobsAsync(CancellationToken cancellationToken)
    {
        var max = options.Value.MaxJobs;
        var result = new List<JobRecord>();
        string? after = null;
        do
        {
            var page = await jobs.QueryAsync(new JobQuery { After = after, Limit = Math.Min(500, max - result.Count) }, cancellationToken);
            result.AddRange(page.Items);
            after = page.NextAfter;
        }
        while (after is not null && result.Count < max);

        return (result, after is not null);
    }

    private async Task<IReadOnlyList<TransparencyEntry>> RefusalsAsync(CancellationToken cancellationToken)
    {
        var size = await log.SizeAsync(cancellationToken);
        var query = new TransparencyQuery(null, null, null, TransparencyEntryKind.Refusal, null, null, Math.Max(0, size - RefusalWindow), TransparencyQuery.MaxLimit);
        var rows = await log.QueryAsync(query, cancellationToken);
        var result = new List<TransparencyEntry>();
        foreach (var row in rows)
        {
            try
            {
                result.Add(TransparencyEntryEncoding.Decode(row.Bytes).Entry);
            }
            catch (FormatException)
            {
                // An unreadable row is the auditors' business (POST /api/v1/audit/verify names it), not the overview's.
            }
        }

        return result;
    }

    private async Task<IReadOnlyList<SiloFact>> SilosAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        return [.. hosts.Select(h => new SiloFact(h.SiloName, h.SiloAddress.ToString(), h.HostName, h.Status.ToString(), h.StartTime, h.SiloAddress.Equals(silo.SiloAddress)))];
    }
}
