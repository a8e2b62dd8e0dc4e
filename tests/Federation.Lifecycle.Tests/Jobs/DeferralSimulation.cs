using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;
using Federation.Reference;
using Federation.Reference.Forecasts;
using Federation.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Lifecycle.Tests.Jobs;

/// <summary>
/// A batch of deferrable jobs in one origin (DE) on fake time, driven as their grains and the silo's
/// planner drive them: each is submitted with <see cref="Router.PlanShifted"/>'s decision at that
/// time, woken when <see cref="JobLifecycle.NextDue"/> says, planned again with the forecast of the hour
/// it wakes in (the 2020 German series replayed), admitted when offered, and finished after its run.
/// </summary>
internal sealed class DeferralSimulation
{
    public const int RunHours = 4;

    private static readonly NationCode s_de = TypedId.Parse<NationCode>("DE");
    private static readonly AcceleratorSlug s_a100 = TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm");
    private readonly Router _router = new(ReferenceTables.Shipped);
    private readonly SeriesForecastSource _forecasts = new(HourlyIntensitySeries.Shipped2020, ReferenceTables.Shipped);
    private readonly Dictionary<JobRef, DateTimeOffset> _finishAt = [];
    private readonly List<(DateTimeOffset At, JobSpec Spec)> _arrivals = [];

    public DeferralSimulation(DateTimeOffset start) => Time = new FakeTimeProvider(start);

    public FakeTimeProvider Time { get; }

    /// <summary>Leases far longer than a run, so that no renewal is needed while a job runs.</summary>
    public JobLifecycleSettings Settings { get; } = new() { Lease = TimeSpan.FromHours(12), Grace = TimeSpan.FromHours(1) };

    public Dictionary<JobRef, JobLifecycleState> Jobs { get; } = [];

    /// <summary>The decision each job was submitted with, and the state it was in just after (what explain showed then).</summary>
    public Dictionary<JobRef, (RoutingDecision Decision, JobRecord Record)> Submitted { get; } = [];

    /// <summary>When each job was offered (it starts there at once: admitted on arrival).</summary>
    public Dictionary<JobRef, DateTimeOffset> StartedAt { get; } = [];

    /// <summary>How many plans each job asked for after its submission.</summary>
    public Dictionary<JobRef, int> Replans { get; } = [];

    public static JobSpec Spec(string id, DateTimeOffset deadline) => new()
    {
        Id = id,
        Owner = new JobOwner("alice@example.org", "climate"),
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = 1 },
        Work = WorkEstimate.Hours(RunHours, s_a100),
        Walltime = TimeSpan.FromHours(RunHours + 1),
        Workload = new WorkloadCall { Name = "train", Version = "1.0" },
        Deferrable = true,
        Deadline = deadline,
    };

    /// <summary>The window's intensity as the router sees it: the mean over the run's hours from the hour of <paramref name="start"/>.</summary>
    public static double WindowMean(DateTimeOffset start) =>
        Enumerable.Range(0, RunHours).Average(h => HourlyIntensitySeries.Shipped2020.Find("DE", ForecastHours.HourOf(start).AddHours(h))!.Value);

    /// <summary>The decision the silo's planner makes for <paramref name="spec"/> now.</summary>
    public RoutingDecision Plan(JobSpec spec)
    {
        var now = Time.GetUtcNow();
        var advert = new CapabilityAdvert
        {
            Nation = s_de,
            Name = "DE federation node",
            Accelerators = [new AcceleratorCapacity(s_a100, 64, 64)],
            Pue = 1.2,
            GridZone = "DE",
            GridIntensityGco2PerKwh = HourlyIntensitySeries.Shipped2020.Find("DE", now)!.Value,
            Forecast = _forecasts.ForecastAsync("DE", now, IntensityForecast.MaxHours, CancellationToken.None).AsTask().Result,
            QueueDepth = 0,
            Workloads = [new WorkloadRef("train", "1.0")],
            SoftwareVersion = "1.0.0",
            ProtocolVersions = [1],
            IssuedAt = now.AddMinutes(-1),
            Sequence = 1,
        };
        return _router.PlanShifted(new RoutingRequest
        {
            Job = spec.RefIn(s_de),
            Spec = spec,
            Now = now,
            Inputs = [],
            Candidates = [new CandidateNation(s_de, PeerHealth.Reachable, "this nation", advert)],
        });
    }

    /// <summary>Submits <paramref name="spec"/> at <paramref name="at"/> (not before the clock).</summary>
    public void SubmitAt(DateTimeOffset at, JobSpec spec) => _arrivals.Add((at, spec));

    private void Submit(JobSpec spec)
    {
        var job = spec.RefIn(s_de);
        var decision = Plan(spec);
        Jobs[job] = JobLifecycleState.Empty(job);
        Apply(job, new SubmitJob(spec, decision));
        Submitted[job] = (decision, Jobs[job].Record!);
    }

    /// <summary>Runs every job to its end, waking each when it is due; fails when a job needs more than <paramref name="limit"/> steps.</summary>
    public void RunToEnd(int limit = 10_000)
    {
        for (var steps = 0; _arrivals.Count > 0 || Jobs.Values.Any(j => !j.Record!.State.IsFinished()); steps++)
        {
            Assert.True(steps < limit, $"the batch did not finish within {limit} steps");
            var due = Jobs.Values.Where(j => !j.Record!.State.IsFinished())
                .Select(j => (j.Job, At: Earliest(JobLifecycle.NextDue(j, Settings), _finishAt.TryGetValue(j.Job, out var f) ? f : null)))
                .Where(d => d.At is not null)
                .DefaultIfEmpty()
                .MinBy(d => d.At ?? DateTimeOffset.MaxValue);
            var arrival = _arrivals.OrderBy(a => a.At).FirstOrDefault();
            if (arrival.Spec is not null && (due.At is null || arrival.At <= due.At))
            {
                _arrivals.Remove(arrival);
                Time.SetUtcNow(arrival.At > Time.GetUtcNow() ? arrival.At : Time.GetUtcNow());
                Submit(arrival.Spec);
                continue;
            }

            Assert.True(due.At is not null, "a live job has nothing due: it would wait forever");
            if (due.At > Time.GetUtcNow())
            {
                Time.SetUtcNow(due.At!.Value);
            }

            if (_finishAt.TryGetValue(due.Job, out var finish) && finish <= Time.GetUtcNow())
            {
                _finishAt.Remove(due.Job);
                var record = Jobs[due.Job].Record!;
                Apply(due.Job, new ReportReceived(record.Nation!.Value, new ExecutionReport { Job = due.Job, Epoch = record.Epoch, Sequence = 1, State = JobState.Succeeded, Message = "done" }));
                continue;
            }

            Apply(due.Job, new JobTick());
        }
    }

    private void Apply(JobRef job, JobInput input)
    {
        var before = Jobs[job];
        var step = JobLifecycle.Decide(before, input, Time.GetUtcNow(), Settings);
        Assert.True(step.Decision.Accepted, $"{job}: {input.GetType().Name} rejected: {step.Decision.Rejected?.Message}");
        Jobs[job] = step.State;
        if (step.State.PlanAttempt > before.PlanAttempt)
        {
            Replans[job] = Replans.GetValueOrDefault(job) + 1;
            Apply(job, new PlanCompleted(step.State.PlanAttempt, Plan(step.State.Record!.Spec), null));
            return;
        }

        foreach (var offer in step.State.Outbox.Where(m => m.Message is OfferMessage && !before.Outbox.Any(b => b.Id == m.Id)).ToList())
        {
            StartedAt[job] = Time.GetUtcNow();
            _finishAt[job] = Time.GetUtcNow().AddHours(RunHours);
            Apply(job, new MessageDelivered(offer.Id, new Delivery { Delivered = true, Admission = new Admission(offer.To, offer.Message.Epoch, true, "admitted", 0) }, 0));
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
