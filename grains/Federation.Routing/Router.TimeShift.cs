using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;

namespace Federation.Routing;

/// <content>
/// Carbon-aware time shifting for a deferrable job: where and when together. Each start hour from now
/// until the deadline leaves no room is decided as <see cref="Decide"/> decides now, with every nation's
/// intensity the mean of its forecast over the run's window; the lowest total wins (the earliest on a
/// tie), so a job waits only when waiting scores better, and a start hour that would miss the deadline
/// is never chosen: a job with no room runs now.
/// </content>
public sealed partial class Router
{
    /// <summary>The furthest ahead a window may start, hours (the longest forecast an advert carries).</summary>
    public const int MaxShiftHours = IntensityForecast.MaxHours;

    /// <summary>
    /// Plans <paramref name="request"/>; for a deferrable job with a deadline, in the cleanest feasible window,
    /// with <see cref="RoutingDecision.TimeShift"/> saying which, the gCO2e of running now and then, and what
    /// waiting avoids. Any other job is planned as <see cref="Plan"/> plans it.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="canHold">
    /// False when the caller cannot hold a job until its window: the job then runs now, and the record says
    /// which window it would have waited for and what that would have avoided.
    /// </param>
    /// <exception cref="ArgumentException">As <see cref="Plan"/>.</exception>
    public RoutingDecision PlanShifted(RoutingRequest request, bool canHold = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Shiftable(request))
        {
            return Plan(request);
        }

        var shifted = DecideShifted(request);
        var hours = shifted.WindowHours;
        var nowDecision = Plan(AtOffset(request, 0, hours));
        if (nowDecision.Chosen is not { } nowNation)
        {
            return nowDecision;
        }

        var offset = (int)Math.Round((shifted.StartAt - request.Now).TotalHours);
        var nowGco2e = ChosenScore(nowDecision).TotalGco2e;
        if (offset == 0 || shifted.Choice.Chosen is null)
        {
            var why = offset == 0 && shifted.WindowsCompared > 1
                ? $"runs now: no later start before the deadline scores better ({shifted.WindowsCompared} windows compared)"
                : "runs now: no later start leaves room to finish by the deadline";
            return RunsNow(request, nowDecision, nowNation, nowGco2e, nowGco2e, shifted.WindowsCompared, why);
        }

        var then = Plan(AtOffset(request, offset, hours));
        var score = ChosenScore(then);
        var avoided = nowGco2e - score.TotalGco2e;
        if (!canHold)
        {
            var notHeld = string.Create(CultureInfo.InvariantCulture,
                $"runs now: waiting until {Time(shifted.StartAt)} in {then.Chosen} would avoid {avoided:0.##} gCO2e ({score.TotalGco2e:0.##} then vs {nowGco2e:0.##} now in {nowNation}), but this nation does not hold deferred jobs yet");
            return RunsNow(request, nowDecision, nowNation, nowGco2e, score.TotalGco2e, shifted.WindowsCompared, notHeld);
        }

        var reason = string.Create(CultureInfo.InvariantCulture,
            $"deferred to {Time(shifted.StartAt)} in {then.Chosen}: {score.TotalGco2e:0.##} gCO2e then ({score.GridIntensityGco2PerKwh:0.#} g/kWh over {hours} h) vs {nowGco2e:0.##} gCO2e now in {nowNation}, {avoided:0.##} gCO2e avoided; finishes by {Finish(shifted.StartAt, score.ExpectedWaitHours + score.RunHours)}, deadline {Time(request.Spec.Deadline!.Value)} ({shifted.WindowsCompared} windows compared)");
        return then with
        {
            DecidedAt = request.Now,
            Summary = $"{reason}; {then.Summary}",
            TimeShift = new TimeShift
            {
                Deferred = true,
                StartAt = shifted.StartAt,
                FinishBy = shifted.StartAt.AddHours(score.ExpectedWaitHours + score.RunHours),
                Nation = then.Chosen!.Value,
                NowNation = nowNation,
                NowGco2e = nowGco2e,
                WindowGco2e = score.TotalGco2e,
                AvoidedGco2e = avoided,
                WindowsCompared = shifted.WindowsCompared,
                Reason = reason,
            },
        };
    }

    /// <summary>
    /// Decides <paramref name="request"/> as <see cref="PlanShifted"/> does, without the decision record: the
    /// window's start and the choice in it. A job that is not deferrable (or has no deadline) is decided now.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Decide"/>.</exception>
    public ShiftedChoice DecideShifted(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = Decide(request);
        if (!Shiftable(request) || now.Chosen is null || now.Accelerator is not { } slug)
        {
            return new ShiftedChoice(now, request.Now, 1, now.Feasible);
        }

        var tflops = reference.FindAccelerator(slug)?.TensorTflops ?? 0;
        var runHours = tflops > 0 ? WorkFlops(request.Spec.Work) / (tflops * 1e12 * SecondsPerHour) / request.Spec.Accelerators.Count : 1;
        var hours = Math.Clamp((int)Math.Ceiling(runHours - 1e-9), 1, MaxShiftHours);
        var last = Math.Min(MaxShiftHours, (int)Math.Floor((request.Spec.Deadline!.Value - request.Now).TotalHours - runHours));

        var best = Decide(AtOffset(request, 0, hours));
        var bestOffset = 0;
        var compared = best.Feasible;
        for (var offset = 1; offset <= last; offset++)
        {
            var choice = Decide(AtOffset(request, offset, hours));
            compared += choice.Feasible;
            if (choice.Chosen is not null && (best.Chosen is null || choice.Total < best.Total - (1e-9 * Math.Abs(best.Total))))
            {
                (best, bestOffset) = (choice, offset);
            }
        }

        return new ShiftedChoice(best, request.Now.AddHours(bestOffset), hours, compared);
    }

    private static bool Shiftable(RoutingRequest request) =>
        request.Spec is { Deferrable: true, Deadline: not null, Federated: null };

    private static ScoreBreakdown ChosenScore(RoutingDecision decision) =>
        decision.Candidates.First(c => c.Nation == decision.Chosen).Score!;

    /// <summary>The request as if decided <paramref name="offset"/> hours later, each nation at its forecast mean over <paramref name="hours"/> hours from then.</summary>
    private static RoutingRequest AtOffset(RoutingRequest request, int offset, int hours)
    {
        var at = request.Now.AddHours(offset);
        var candidates = OrEmpty(request.Candidates);
        var shifted = ImmutableArray.CreateBuilder<CandidateNation>(candidates.Length);
        foreach (var candidate in candidates)
        {
            shifted.Add(candidate.Advert is { } advert
                ? candidate with { Advert = advert with { GridIntensityGco2PerKwh = WindowMean(candidate, advert, at, hours) } }
                : candidate);
        }

        return request with { Now = at, Candidates = shifted.MoveToImmutable() };
    }

    /// <summary>
    /// The mean of a nation's forecast over the window; an hour the forecast does not cover counts at the
    /// advert's own figure. Each hour is floored at the claim reference's minimum, as an advert's figure is.
    /// </summary>
    private static double WindowMean(CandidateNation candidate, CapabilityAdvert advert, DateTimeOffset at, int hours)
    {
        var floor = candidate.Reference is { Gco2PerKwh: { } agreed } reference ? agreed * reference.MinFraction : 0;
        var forecast = advert.Forecast;
        var first = forecast is null ? 0 : (int)Math.Floor((at - forecast.From).TotalHours);
        var sum = 0.0;
        for (var h = 0; h < hours; h++)
        {
            sum += Math.Max(floor, forecast?.At(first + h) ?? advert.GridIntensityGco2PerKwh);
        }

        return sum / hours;
    }

    /// <summary>The decision to run now in <paramref name="nation"/>, with the time-shift record saying why (<paramref name="why"/>) and what the window would have scored.</summary>
    private static RoutingDecision RunsNow(RoutingRequest request, RoutingDecision now, NationCode nation, double nowGco2e, double windowGco2e, int windowsCompared, string why)
    {
        var score = ChosenScore(now);
        return now with
        {
            DecidedAt = request.Now,
            Summary = $"{why}; {now.Summary}",
            TimeShift = new TimeShift
            {
                Deferred = false,
                StartAt = request.Now,
                FinishBy = request.Now.AddHours(score.ExpectedWaitHours + score.RunHours),
                Nation = nation,
                NowNation = nation,
                NowGco2e = nowGco2e,
                WindowGco2e = windowGco2e,
                AvoidedGco2e = 0,
                WindowsCompared = windowsCompared,
                Reason = why,
            },
        };
    }
}
