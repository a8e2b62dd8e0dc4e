using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Shares;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Lifecycle.Shares;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Shares;

/// <summary>
/// This nation's usage ledger (in memory) and the share facts admission reads. Each admitted run is
/// charged once, on admission, from its estimate (the work's accelerator-hours, else accelerators x
/// walltime) to its origin, consortium and tier, and counted as held here until its walltime ends.
/// Entitlements follow contributions: each member's accelerators in service (its last advert, this
/// nation's own count) x 24 hours, with <see cref="ShareSettings.MinimumShare"/> as the floor.
/// </summary>
public sealed class ShareLedgerService(ShareSettings settings, IOptions<ShareOptions> options, CourseRegistry courses, IGrainFactory grains, RosterStore roster, LocalNation local, TimeProvider time) : IShareFactSource
{
    private static readonly TimeSpan s_contributionsFreshFor = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HeldEntry> _held = new(StringComparer.Ordinal);
    private UsageLedger _ledger = UsageLedger.Empty;
    private Tuple<DateTimeOffset, ImmutableSortedDictionary<string, double>>? _contributions;

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

        var entitlements = Entitlements(await ContributionsAsync(total));
        var now = time.GetUtcNow();
        var spec = offer.Spec;
        lock (_gate)
        {
            Prune(now);
            var students = _held.Values.Where(h => h.Account.Tier == JobTier.Student).ToList();
            return new ShareFacts
            {
                Settings = settings,
                Entitlements = entitlements,
                Usage = _ledger.ByNation(now, settings.HalfLife),
                Total = total,
                Free = free,
                ConsortiumHeld = _held.Values.Where(h => h.Account.Consortium.Length > 0).GroupBy(h => h.Account.Consortium, StringComparer.Ordinal)
                    .ToImmutableDictionary(g => g.Key, g => g.Sum(h => h.Count), StringComparer.Ordinal),
                StudentHeld = students.Sum(h => h.Count),
                StudentUserHeld = students.Where(h => h.User == spec.Owner.User).Sum(h => h.Count),
                StudentCourseHeld = students.Where(h => h.Course == spec.Course).Sum(h => h.Count),
                CourseRegistered = spec.Tier == JobTier.Student && !foreign ? courses.Find(spec.Course) is not null : null,
                HoldsStudentReserve = courses.Ids.Any(),
            };
        }
    }

    /// <inheritdoc />
    public void Admitted(JobOffer offer, bool borrowed)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var key = $"{offer.Job}#{offer.Epoch}";
        var spec = offer.Spec;
        var now = time.GetUtcNow();
        var account = new UsageAccount(offer.Job.Origin.Value, spec.Owner.Consortium ?? "", spec.Tier);
        var hours = spec.Work.AcceleratorHours ?? spec.Accelerators.Count * spec.Walltime.TotalHours;
        lock (_gate)
        {
            if (_held.ContainsKey(key))
            {
                return;
            }

            _held[key] = new HeldEntry(account, spec.Owner.User, spec.Course, spec.Accelerators.Count, now + spec.Walltime, borrowed);
            _ledger = _ledger.Charge(account, hours, now, settings.HalfLife);
        }
    }

    /// <summary>Stops counting epoch <paramref name="epoch"/> of <paramref name="job"/> as held here (reclaimed and given back); its charge stays.</summary>
    public void Release(JobRef job, int epoch)
    {
        lock (_gate)
        {
            _held.Remove($"{job}#{epoch}");
        }
    }

    /// <summary>The shares table as of now, with <paramref name="total"/> accelerators in service and <paramref name="free"/> free.</summary>
    public async Task<SharesView> ViewAsync(int total, int free)
    {
        var entitlements = Entitlements(await ContributionsAsync(total));
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Prune(now);
            var usage = _ledger.ByNation(now, settings.HalfLife);
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

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _held.Where(h => h.Value.EndsBy <= now).Select(h => h.Key).ToList())
        {
            _held.Remove(key);
        }
    }

    private sealed record HeldEntry(UsageAccount Account, string User, string? Course, int Count, DateTimeOffset EndsBy, bool Borrowed);
}
