using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Shares;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Lifecycle.Shares;
using Federation.Protocol.Usage;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Shares;

/// <summary>
/// This nation's usage ledger (kept by <see cref="IUsageLedgerStore"/>: in memory, or PostgreSQL) with
/// the usage its peers reported, and the share facts admission reads. Each admitted run is charged
/// once per job and epoch, on admission, from its estimate (the work's accelerator-hours, else
/// accelerators x walltime) to its origin, consortium and tier, and counted as held here until it ends
/// (<see cref="ReleaseAsync"/>) or its walltime does. A nation's usage is the federation's: this ledger plus every peer's reported one,
/// decayed to the same time. Entitlements follow contributions: each member's accelerators in service
/// (its last advert, this nation's own count) x 24 hours, with <see cref="ShareSettings.MinimumShare"/> as the floor.
/// </summary>
public sealed partial class ShareLedgerService(ShareSettings settings, IOptions<ShareOptions> options, CourseRegistry courses, IGrainFactory grains, RosterStore roster, LocalNation local,
    IUsageLedgerStore store, TimeProvider time, ILogger<ShareLedgerService> logger) : IShareFactSource, IDisposable
{
    private static readonly TimeSpan s_contributionsFreshFor = TimeSpan.FromSeconds(10);

    /// <summary>How often what the nation's other silos recorded (charges, releases, accepted reports) is read again.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    /// <summary>How far back each read reaches before the last one: covers commits in flight and the silos' clocks apart.</summary>
    private static readonly TimeSpan s_refreshOverlap = TimeSpan.FromMinutes(1);

    /// <summary>Charges whose runs ended longer ago than this are no longer reported (nor kept in memory for reports).</summary>
    public static readonly TimeSpan ReportHorizon = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly HeldRuns _held = new();
    private readonly Dictionary<string, UsageCharge> _recent = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _recentEnding = new();
    private readonly Dictionary<string, (UsageLedger Ledger, long Sequence, DateTimeOffset To)> _reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _applied = new(StringComparer.Ordinal);
    private DateTimeOffset _lastRead;
    private DateTimeOffset _nextRead;
    private volatile bool _loaded;
    private UsageLedger _ledger = UsageLedger.Empty;
    private Tuple<DateTimeOffset, ImmutableSortedDictionary<string, double>>? _contributions;

    /// <summary>Whether this nation applies fair share (<c>Federation:Shares:Enabled</c>).</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>The settings in force.</summary>
    public ShareSettings Settings => settings;

    /// <inheritdoc />
    public async Task<ShareFacts?> GatherAsync(JobOffer offer, bool foreign, int total, int free)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (!options.Value.Enabled)
        {
            return null;
        }

        await EnsureLoadedAsync();
        var entitlements = Entitlements(await ContributionsAsync(total));
        var now = time.GetUtcNow();
        var spec = offer.Spec;
        lock (_gate)
        {
            Prune(now);
            return new ShareFacts
            {
                Settings = settings,
                Entitlements = entitlements,
                Usage = FederationUsage(now),
                Total = total,
                Free = free,
                ConsortiumHeld = _held.ByConsortium,
                StudentHeld = _held.StudentHeld,
                StudentUserHeld = _held.StudentHeldBy(spec.Owner.User),
                StudentCourseHeld = _held.StudentHeldIn(spec.Course),
                CourseRegistered = spec.Tier == JobTier.Student && !foreign ? courses.Find(spec.Course) is not null : null,
                HoldsStudentReserve = courses.Ids.Any(),
            };
        }
    }

    /// <inheritdoc />
    public async Task AdmittedAsync(JobOffer offer, bool borrowed)
    {
        ArgumentNullException.ThrowIfNull(offer);
        await EnsureLoadedAsync();
        var spec = offer.Spec;
        var now = time.GetUtcNow();
        var account = new UsageAccount(offer.Job.Origin.Value, spec.Owner.Consortium ?? "", spec.Tier);
        var hours = spec.Work.AcceleratorHours ?? spec.Accelerators.Count * spec.Walltime.TotalHours;
        var charge = new StoredCharge(new UsageCharge($"{offer.Job}#{offer.Epoch}", account, hours, spec.Accelerators.Count, now, now + spec.Walltime), spec.Owner.User, spec.Course, borrowed);
        if (await store.ChargeAsync(charge))
        {
            lock (_gate)
            {
                // A read of the other silos' charges may have found it first.
                if (!_applied.ContainsKey(charge.Charge.Key))
                {
                    Apply(charge);
                }
            }
        }
    }

    /// <summary>What this nation ran for (<paramref name="from"/>, <paramref name="to"/>], per origin and consortium, to report to its peers.</summary>
    public async Task<UsageReport> ReportAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await EnsureLoadedAsync();
        lock (_gate)
        {
            return UsageReports.Report(local.Code.Value, _recent.Values, from, to);
        }
    }

    /// <summary>The sequence and period end of the last report accepted from <paramref name="nation"/>; null for none.</summary>
    public async Task<(long Sequence, DateTimeOffset To)?> LastReportAsync(string nation)
    {
        await EnsureLoadedAsync();
        lock (_gate)
        {
            return _reported.TryGetValue(nation, out var last) ? (last.Sequence, last.To) : null;
        }
    }

    /// <summary>Keeps <paramref name="report"/> (verified and checked) and adds it to its sender's reported ledger, once.</summary>
    public async Task AcceptAsync(SignedUsageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        await EnsureLoadedAsync();
        if (await store.KeepReportAsync(report, time.GetUtcNow()))
        {
            lock (_gate)
            {
                if (!_reported.TryGetValue(report.Report.Nation, out var known) || report.Report.Sequence > known.Sequence)
                {
                    Apply(report.Report);
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _loading.Dispose();

    /// <summary>
    /// Records that epoch <paramref name="epoch"/> of <paramref name="job"/> ended here (any ending, given back included) having
    /// used <paramref name="usedHours"/> accelerator-hours, and stops counting it as held, over a restart too. Its charge is
    /// settled to what it used when that is less than the estimate charged on admission (null: not known, the estimate
    /// stands). Idempotent: the first release wins (docs/fair-share.md, "The ledger on PostgreSQL").
    /// </summary>
    public async Task ReleaseAsync(JobRef job, int epoch, double? usedHours = null)
    {
        await EnsureLoadedAsync();
        var key = $"{job}#{epoch}";
        var release = await store.ReleaseAsync(key, time.GetUtcNow(), usedHours);
        lock (_gate)
        {
            _held.Remove(key);
            Settle(key, release?.UsedHours);
        }
    }

    /// <inheritdoc />
    public Task EndedAsync(JobRef job, int epoch, double? usedHours) => options.Value.Enabled ? ReleaseAsync(job, epoch, usedHours) : Task.CompletedTask;

    /// <summary>Deletes the kept charges and reports that no longer matter (<see cref="LedgerPruning"/>, as of now); how many of each.</summary>
    public async Task<(int Charges, int Reports)> PruneStoredAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var pruned = await store.PruneAsync(LedgerPruning.Cutoffs(now, settings.HalfLife, ReportHorizon), cancellationToken);
        lock (_gate)
        {
            Prune(now);
        }

        return pruned;
    }

    /// <summary>The shares table as of now, with <paramref name="total"/> accelerators in service and <paramref name="free"/> free.</summary>
    public async Task<SharesView> ViewAsync(int total, int free)
    {
        await EnsureLoadedAsync();
        var entitlements = Entitlements(await ContributionsAsync(total));
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Prune(now);
            var usage = FederationUsage(now);
            var sum = usage.Values.Sum();
            var byConsortium = _ledger.ByConsortium(now, settings.HalfLife);
            var held = _held.Values.ToList();
            return new SharesView
            {
                Nation = local.Code.Value,
                At = now,
                HalfLifeHours = settings.HalfLife.TotalHours,
                Total = total,
                Free = free,
                Nations = [.. entitlements.Keys.Union(usage.Keys).Order(StringComparer.Ordinal).Select(n => new ShareLine
                {
                    Name = n,
                    Entitlement = entitlements.GetValueOrDefault(n),
                    Usage = usage.GetValueOrDefault(n),
                    Factor = FairShare.Factor(usage.GetValueOrDefault(n), sum, entitlements.GetValueOrDefault(n)),
                    Held = held.Where(h => h.Account.Nation == n).Sum(h => h.Count),
                    Borrowed = held.Where(h => h.Account.Nation == n && h.Borrowed).Sum(h => h.Count),
                })],
                Consortia = [.. settings.ConsortiumQuotas.Keys.Union(byConsortium.Keys).Order(StringComparer.Ordinal).Select(c => new ShareLine
                {
                    Name = c,
                    Entitlement = settings.ConsortiumQuotas.TryGetValue(c, out var q) ? q : null,
                    Usage = byConsortium.GetValueOrDefault(c),
                    Held = held.Where(h => h.Account.Consortium == c).Sum(h => h.Count),
                    Borrowed = held.Where(h => h.Account.Consortium == c && h.Borrowed).Sum(h => h.Count),
                })],
                Students = new StudentTierLine
                {
                    Quota = (int)Math.Floor(settings.StudentQuota * total),
                    Held = held.Where(h => h.Account.Tier == JobTier.Student).Sum(h => h.Count),
                    Usage = _ledger.Students(now, settings.HalfLife),
                    MaxWalltimeMinutes = settings.StudentMaxWalltime.TotalMinutes,
                    MaxPerUser = settings.StudentMaxPerUser,
                    MaxPerCourse = settings.StudentMaxPerCourse,
                    Courses = [.. courses.Ids],
                },
                Reported = [.. _reported.OrderBy(r => r.Key, StringComparer.Ordinal).SelectMany(r => r.Value.Ledger.ByNation(now, settings.HalfLife)
                    .Select(n => new ReportedUsageLine { Reporter = r.Key, Nation = n.Key, Usage = n.Value, ReportedUntil = r.Value.To }))],
            };
        }
    }

    private ImmutableSortedDictionary<string, double> Entitlements(ImmutableSortedDictionary<string, double> contributions) =>
        // A floor that the roster's size makes impossible (more than 1/members each) falls back to an even floor.
        FairShare.Entitlements(contributions, Math.Min(settings.MinimumShare, 1.0 / Math.Max(1, contributions.Count)));

    private async Task<ImmutableSortedDictionary<string, double>> ContributionsAsync(int ownTotal)
    {
        var now = time.GetUtcNow();
        if (_contributions is { } cached && now - cached.Item1 < s_contributionsFreshFor)
        {
            return cached.Item2.SetItem(local.Code.Value, ownTotal * 24.0);
        }

        var contributions = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        contributions[local.Code.Value] = ownTotal * 24.0;
        foreach (var entry in roster.Entries.Where(e => e.Code != local.Code.Value))
        {
            if (NationCode.TryParse(entry.Code, out var code, out _))
            {
                var status = await grains.GetGrain<IPeerGrain>(IPeerGrain.KeyOf(code)).GetAsync();
                contributions[code.Value] = (status.LastAdvert?.Accelerators.Sum(a => a.Total) ?? 0) * 24.0;
            }
        }

        var result = contributions.ToImmutable();
        _contributions = Tuple.Create(now, result);
        return result;
    }

    private ImmutableSortedDictionary<string, double> FederationUsage(DateTimeOffset now) =>
        UsageReports.Federation(_ledger, _reported.Values.Select(r => r.Ledger), now, settings.HalfLife);

    /// <summary>Lets go of the runs whose walltime ended and of the charges past the report horizon, in the order they end (not a scan of all).</summary>
    private void Prune(DateTimeOffset now)
    {
        _held.Prune(now);
        while (_recentEnding.TryPeek(out var key, out var endsBy) && endsBy < now - ReportHorizon)
        {
            _recentEnding.Dequeue();
            if (_recent.TryGetValue(key, out var charge) && charge.EndsBy < now - ReportHorizon)
            {
                _recent.Remove(key);
            }
        }
    }

    private void Recent(UsageCharge charge)
    {
        _recent[charge.Key] = charge;
        _recentEnding.Enqueue(charge.Key, charge.EndsBy);
    }
}
