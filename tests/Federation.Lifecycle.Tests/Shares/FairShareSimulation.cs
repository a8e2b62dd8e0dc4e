using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Lifecycle.Tests.Shares;

/// <summary>
/// A seeded federation pool on fake time: nations with a backlog of jobs (sizes and durations drawn
/// from one seed), a scheduler that starts the waiting job of the nation <see cref="ShareRules.Priority"/>
/// ranks first, usage charged to a <see cref="UsageLedger"/> every tick, and reclaim of borrowed runs
/// when a nation's demand arrives.
/// </summary>
internal sealed class FairShareSimulation
{
    private readonly Random _random;
    private readonly List<HeldRun> _running = [];
    private readonly Dictionary<string, (int Count, TimeSpan Duration)?> _next = new(StringComparer.Ordinal);
    private readonly Func<Random, int> _size;
    private UsageLedger _ledger = UsageLedger.Empty;
    private int _jobs;

    public FairShareSimulation(int seed, int capacity, IReadOnlyDictionary<string, double> contributions, ShareSettings settings, Func<Random, int> size)
    {
        _random = new Random(seed);
        Capacity = capacity;
        Settings = settings;
        Entitlements = FairShare.Entitlements(contributions, settings.MinimumShare);
        _size = size;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));

    public int Capacity { get; }

    public ShareSettings Settings { get; }

    public ImmutableSortedDictionary<string, double> Entitlements { get; }

    /// <summary>Nations with waiting work.</summary>
    public HashSet<string> Demanding { get; } = new(StringComparer.Ordinal);

    /// <summary>Accelerator-hours each nation received since the last <see cref="ResetReceived"/>.</summary>
    public Dictionary<string, double> Received { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<HeldRun> Running => _running;

    public int Free => Capacity - _running.Sum(r => r.Accelerators);

    public int HeldBy(string nation) => _running.Where(r => r.Nation == nation).Sum(r => r.Accelerators);

    public ShareFacts Facts() => new()
    {
        Settings = Settings,
        Entitlements = Entitlements,
        Usage = _ledger.ByNation(Time.GetUtcNow(), Settings.HalfLife),
        Total = Capacity,
        Free = Free,
    };

    public void ResetReceived() => Received.Clear();

    /// <summary>One tick: finish what ended, start what fits by rank, charge the tick's usage, advance the clock.</summary>
    public void Step(TimeSpan tick)
    {
        var now = Time.GetUtcNow();
        _running.RemoveAll(r => r.EndsBy <= now);
        Schedule(now);
        var hours = tick.TotalHours;
        foreach (var run in _running)
        {
            _ledger = _ledger.Charge(new UsageAccount(run.Nation, "", JobTier.Standard), run.Accelerators * hours, now, Settings.HalfLife);
            Received[run.Nation] = Received.GetValueOrDefault(run.Nation) + (run.Accelerators * hours);
        }

        Time.Advance(tick);
    }

    /// <summary>Shortens the runs <see cref="Reclaim.Plan"/> chooses to free <paramref name="needed"/> accelerators; returns the plan.</summary>
    public ImmutableArray<ReclaimStep> ReclaimFor(int needed)
    {
        var now = Time.GetUtcNow();
        var steps = Reclaim.Plan(_running, needed - Free, now, Facts());
        foreach (var step in steps)
        {
            var i = _running.IndexOf(step.Run);
            _running[i] = step.Run with { EndsBy = step.ReturnBy };
        }

        return steps;
    }

    private void Schedule(DateTimeOffset now)
    {
        while (Free > 0 && Demanding.Count > 0)
        {
            var facts = Facts();
            var nation = Demanding
                .OrderByDescending(n => ShareRules.Priority(new ShareRequest(n, false, "sim", null, JobTier.Standard, null, 1, TimeSpan.Zero), facts))
                .ThenBy(n => n, StringComparer.Ordinal)
                .First();
            var job = _next.GetValueOrDefault(nation) ?? (_size(_random), TimeSpan.FromMinutes(_random.Next(60, 12 * 60)));
            if (job.Count > Free)
            {
                // The first-ranked nation's job waits for room: nobody overtakes it.
                _next[nation] = job;
                return;
            }

            _next[nation] = null;
            var borrowed = HeldBy(nation) + job.Count > Entitlements.GetValueOrDefault(nation) * Capacity;
            _running.Add(new HeldRun($"job-{++_jobs}", nation, job.Count, now, now + job.Duration, borrowed));
        }
    }
}
