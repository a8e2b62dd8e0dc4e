using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;
using Federation.Reference;
using Federation.Routing.Accelerators;
using Federation.Routing.Energy;
using Federation.Routing.Trust;

namespace Federation.Routing;

/// <summary>
/// Decides where a job may run and where it should: hard filters, then scores, then a ranking,
/// all recorded in a <see cref="RoutingDecision"/>. Pure and thread-safe; reads only its request,
/// the accelerator table and the weights. Cost is O(nations x accelerator models per nation x
/// inputs), never O(nodes): adverts carry capacity per accelerator model.
/// </summary>
/// <remarks>
/// The formula (also in the README, "How the router scores"), for a candidate nation N and an
/// accelerator model A that N advertises and that fits the request:
/// <code>
/// acceleratorHours(A) = hours x tflops(reference) / tflops(A)      (work in accelerator-hours)
///                     = flops / (tflops(A) x 1e12 x 3600)         (work in FLOPs)
/// runHours(A)         = acceleratorHours(A) / count
/// computeKwh          = runHours(A) x watts(A) x count / 1000 x PUE(N)            (EnergyModel, TDP estimate)
/// transferKwh         = (bytes of inputs whose home is not N) / 1e9 x transferKwhPerGb
/// gCO2e               = (computeKwh + transferKwh) x gridIntensity(N)
/// waitHours           = queueDepth(N) x queuedJobHours / total(A) + (free(A) &lt; count ? queuedJobHours : 0)
/// total               = perGco2e x gCO2e + perWaitHour x waitHours
/// </code>
/// The model picked in N is the fitting one with the lowest total that meets the walltime limit
/// and the deadline; N's score is that model's. Ties go to the lower nation code (then slug).
/// </remarks>
public sealed class Router(ReferenceTables reference, ScoreWeights weights, IReadOnlyCollection<int> protocolVersions)
{
    private const double SecondsPerHour = 3600;

    /// <summary>A router with the default weights that speaks protocol version 1.</summary>
    public Router(ReferenceTables reference)
        : this(reference, ScoreWeights.Default, [1])
    {
    }

    /// <summary>The weights decisions are scored with.</summary>
    public ScoreWeights Weights => weights;

    /// <summary>Plans <paramref name="request"/>: every candidate, the filters that excluded it or its score, and the ranking.</summary>
    /// <exception cref="ArgumentException">The request names a reference accelerator the table lacks, or its inputs do not match the job's.</exception>
    public RoutingDecision Plan(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckInputs(request);
        if (request.Spec.Accelerators.Count < 1)
        {
            throw new ArgumentException($"the job asks for {request.Spec.Accelerators.Count} accelerators; 1 or more", nameof(request));
        }

        var work = WorkFlops(request.Spec.Work);
        var today = DateOnly.FromDateTime(request.Now.UtcDateTime);

        var inputs = Prepare(request, today);
        var feasible = new List<CandidateVerdict>();
        var excluded = new List<CandidateVerdict>();
        foreach (var candidate in OrEmpty(request.Candidates))
        {
            var verdict = Assess(request, inputs, candidate, work, today);
            (verdict.Feasible ? feasible : excluded).Add(verdict);
        }

        feasible.Sort((a, b) => a.Score!.Total.CompareTo(b.Score!.Total) is var c && c != 0 ? c : string.CompareOrdinal(a.Nation.Value, b.Nation.Value));
        excluded.Sort((a, b) => string.CompareOrdinal(a.Nation.Value, b.Nation.Value));
        var ranked = ImmutableArray.CreateBuilder<CandidateVerdict>(feasible.Count + excluded.Count);
        for (var i = 0; i < feasible.Count; i++)
        {
            ranked.Add(feasible[i] with { Rank = i + 1 });
        }

        ranked.AddRange(excluded);
        return new RoutingDecision
        {
            Job = request.Job,
            DecidedAt = request.Now,
            Chosen = feasible.Count > 0 ? feasible[0].Nation : null,
            Summary = Summarize(feasible, excluded),
            Candidates = ranked.MoveToImmutable(),
            Weights = weights,
        };
    }

    /// <summary>The work estimate in floating-point operations.</summary>
    /// <exception cref="ArgumentException">The estimate names an accelerator without a throughput figure, or is not positive.</exception>
    public double WorkFlops(WorkEstimate work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (work.Flops is { } flops)
        {
            return double.IsFinite(flops) && flops > 0 ? flops : throw new ArgumentException("the work estimate must be a finite number of FLOPs more than 0", nameof(work));
        }

        if (work is not { AcceleratorHours: { } hours, ReferenceAccelerator: { } slug })
        {
            throw new ArgumentException("the work estimate needs accelerator-hours with a reference accelerator, or FLOPs", nameof(work));
        }

        var tflops = reference.FindAccelerator(slug)?.TensorTflops
            ?? throw new ArgumentException($"the reference accelerator '{slug}' has no throughput figure in the accelerator table", nameof(work));
        return double.IsFinite(hours) && hours > 0 ? hours * tflops * 1e12 * SecondsPerHour : throw new ArgumentException("the work estimate must be more than 0 accelerator-hours", nameof(work));
    }

    /// <summary>
    /// The request must describe each of the job's inputs exactly once: an input left out would escape its
    /// residency and data-use checks, and one the job does not read would exclude nations for nothing.
    /// </summary>
    private static void CheckInputs(RoutingRequest request)
    {
        var stated = (request.Spec.Inputs.IsDefault ? [] : request.Spec.Inputs).Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();
        var described = (request.Inputs.IsDefault ? [] : request.Inputs).Select(i => i.Ref.ToString()).Order(StringComparer.Ordinal).ToList();
        if (!stated.SequenceEqual(described, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"the request describes the inputs [{string.Join(", ", described)}] but the job reads [{string.Join(", ", stated)}]; the router needs each input of the job once",
                nameof(request));
        }
    }

    /// <summary>
    /// What does not depend on the candidate, once per decision: each input's name, and its data-use
    /// exclusions unless its conditions ask where the data is processed (GS, DUO:0000022, the only
    /// term that reads <see cref="Purpose.ProcessingNation"/>).
    /// </summary>
    private static PreparedInput[] Prepare(RoutingRequest request, DateOnly today)
    {
        var inputs = OrEmpty(request.Inputs);
        var prepared = new PreparedInput[inputs.Length];
        Purpose? anywhere = null;
        for (var i = 0; i < prepared.Length; i++)
        {
            var input = inputs[i];
            var name = input.Ref.ToString();
            ImmutableArray<Exclusion>? dataUse = null;
            if (!DataUseMatcher.DependsOnProcessingNation(input.DataUse))
            {
                anywhere ??= Purpose.Of(request.Spec, request.Job.Origin, today);
                dataUse = DataUseExclusions(input, name, anywhere);
            }

            prepared[i] = new PreparedInput(input, name, dataUse);
        }

        return prepared;
    }

    private static ImmutableArray<Exclusion> DataUseExclusions(InputDataset input, string name, Purpose purpose)
    {
        var use = DataUseMatcher.Check(input.DataUse, purpose);
        if (use.Allowed)
        {
            return [];
        }

        var exclusions = ImmutableArray.CreateBuilder<Exclusion>(use.Reasons.Length);
        foreach (var unmet in use.Reasons)
        {
            exclusions.Add(new Exclusion(RoutingRule.DataUse, $"dataset {name}: {unmet.Text}", name, unmet.Code));
        }

        return exclusions.MoveToImmutable();
    }

    private CandidateVerdict Assess(RoutingRequest request, PreparedInput[] inputs, CandidateNation candidate, double workFlops, DateOnly today)
    {
        var exclusions = ImmutableArray.CreateBuilder<Exclusion>();
        var nation = candidate.Nation;
        var advert = candidate.Advert;

        if (advert is null)
        {
            exclusions.Add(new Exclusion(RoutingRule.Reachability, $"{nation} has not advertised its capacity yet ({candidate.HealthReason})"));
        }
        else if (candidate.Health == PeerHealth.Unreachable)
        {
            exclusions.Add(new Exclusion(RoutingRule.Reachability, $"{nation} is unreachable: {candidate.HealthReason}"));
        }

        if (advert is not null && !SpeaksCommonVersion(advert))
        {
            exclusions.Add(new Exclusion(RoutingRule.ProtocolVersion,
                $"{nation} speaks federation protocol version(s) {string.Join(", ", advert.ProtocolVersions)}; this nation speaks {string.Join(", ", protocolVersions)}"));
        }

        var transferBytes = 0L;
        Purpose? purpose = null;
        foreach (var (input, name, dataUse) in inputs)
        {
            // The reason is written only for a refusal: most inputs are allowed in most nations.
            if (!input.Residency.Allows(input.Ref.Nation, nation))
            {
                exclusions.Add(new Exclusion(RoutingRule.Residency, ResidencyCheck.Allows(input.Residency, input.Ref, nation).Reason, name));
            }

            if (dataUse is { } same)
            {
                exclusions.AddRange(same);
            }
            else
            {
                purpose ??= Purpose.Of(request.Spec, nation, today);
                exclusions.AddRange(DataUseExclusions(input, name, purpose));
            }

            if (input.Ref.Nation != nation)
            {
                transferBytes += input.SizeBytes;
            }
        }

        ScoreBreakdown? score = null;
        var notes = ImmutableArray<string>.Empty;
        if (advert is not null)
        {
            var claims = AdvertClaims.Check(advert, candidate.Reference);
            notes = claims.Flags;
            if (!Offers(advert, request.Spec.Workload))
            {
                var offered = advert.Workloads.IsDefaultOrEmpty ? "none" : string.Join(", ", advert.Workloads.Select(w => $"{w.Name}@{w.Version}"));
                exclusions.Add(new Exclusion(RoutingRule.Workload,
                    $"{nation} does not offer workload {request.Spec.Workload} (it offers {offered})", request.Spec.Workload.ToString()));
            }

            score = BestScore(request, advert, claims, workFlops, transferBytes, exclusions);
        }

        return new CandidateVerdict
        {
            Nation = nation,
            Exclusions = exclusions.ToImmutable(),
            Score = exclusions.Count == 0 ? score : null,
            Notes = notes,
        };
    }

    private ScoreBreakdown? BestScore(RoutingRequest request, CapabilityAdvert advert, CheckedClaims claims, double workFlops, long transferBytes, ImmutableArray<Exclusion>.Builder exclusions)
    {
        var want = request.Spec.Accelerators;
        ScoreBreakdown? best = null;
        ScoreBreakdown? fastestOverWalltime = null;
        ScoreBreakdown? earliestOverDeadline = null;
        var fits = 0;
        foreach (var offer in OrEmpty(advert.Accelerators))
        {
            // A model in the table without a throughput figure cannot be scored: it counts as not fitting.
            if (!AcceleratorFit.Fits(want, offer.Slug, offer.Total, reference, out var spec) || spec.TensorTflops is not { } tflops)
            {
                continue;
            }

            fits++;
            var acceleratorHours = workFlops / (tflops * 1e12 * SecondsPerHour);
            var runHours = acceleratorHours / want.Count;
            var energy = EnergyModel.Of(PowerFigure.Tdp(spec, want.Count), runHours, claims.Pue, transferBytes, weights.TransferKwhPerGb, claims.GridIntensityGco2PerKwh);
            var wait = (advert.QueueDepth * weights.QueuedJobHours / Math.Max(1, offer.Total)) + (offer.Free < want.Count ? weights.QueuedJobHours : 0);
            var total = (weights.PerGco2e * energy.TotalGco2e) + (weights.PerWaitHour * wait);

            // A breakdown is allocated only when it is kept: most models of most nations are not.
            ScoreBreakdown Breakdown() => new()
            {
                Accelerator = offer.Slug,
                AcceleratorHours = acceleratorHours,
                RunHours = runHours,
                PowerWatts = spec.TdpWatts,
                Pue = energy.Pue,
                ComputeKwh = energy.ComputeKwh,
                TransferBytes = transferBytes,
                TransferKwh = energy.TransferKwh,
                GridIntensityGco2PerKwh = energy.GridIntensityGco2PerKwh,
                ComputeGco2e = energy.ComputeGco2e,
                TransferGco2e = energy.TransferGco2e,
                ExpectedWaitHours = wait,
                Total = total,
            };

            if (request.Spec.Walltime > TimeSpan.Zero && runHours * SecondsPerHour > request.Spec.Walltime.TotalSeconds)
            {
                if (fastestOverWalltime is null || runHours < fastestOverWalltime.RunHours)
                {
                    fastestOverWalltime = Breakdown();
                }

                continue;
            }

            // Compared in hours, not as Now.AddHours(...) > deadline: a huge work estimate would put the finish past
            // DateTimeOffset.MaxValue, and AddHours would throw instead of excluding the model.
            if (request.Spec.Deadline is { } deadline && wait + runHours > (deadline - request.Now).TotalHours)
            {
                if (earliestOverDeadline is null || wait + runHours < earliestOverDeadline.ExpectedWaitHours + earliestOverDeadline.RunHours)
                {
                    earliestOverDeadline = Breakdown();
                }

                continue;
            }

            if (best is null || total < best.Total || (total.Equals(best.Total) && string.CompareOrdinal(offer.Slug.Value, best.Accelerator.Value) < 0))
            {
                best = Breakdown();
            }
        }

        if (fits == 0)
        {
            exclusions.Add(new Exclusion(RoutingRule.AcceleratorFit, NoFit(advert, want)));
        }
        else if (best is null && earliestOverDeadline is not null)
        {
            var finish = Finish(request.Now, earliestOverDeadline.ExpectedWaitHours + earliestOverDeadline.RunHours);
            exclusions.Add(new Exclusion(RoutingRule.Deadline,
                $"the earliest finish in {advert.Nation} is {finish} on {earliestOverDeadline.Accelerator} (wait {Hours(earliestOverDeadline.ExpectedWaitHours)} + run {Hours(earliestOverDeadline.RunHours)}), after the deadline {Time(request.Spec.Deadline!.Value)}",
                earliestOverDeadline.Accelerator.Value));
        }
        else if (best is null && fastestOverWalltime is not null)
        {
            exclusions.Add(new Exclusion(RoutingRule.Walltime,
                $"the fastest fitting accelerator in {advert.Nation}, {want.Count} x {fastestOverWalltime.Accelerator}, would run {Hours(fastestOverWalltime.RunHours)}, over the walltime limit of {Hours(request.Spec.Walltime.TotalHours)}",
                fastestOverWalltime.Accelerator.Value));
        }

        return best;
    }

    private string NoFit(CapabilityAdvert advert, AcceleratorRequest want)
    {
        var needs = AcceleratorFit.Needs(want);
        if (advert.Accelerators.IsDefaultOrEmpty)
        {
            return $"{advert.Nation} advertises no accelerators; the job needs {needs}";
        }

        var has = string.Join(", ", advert.Accelerators.Select(a =>
            reference.FindAccelerator(a.Slug) is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"{a.Total} x {a.Slug} ({s.MemoryGb:0.#} GB)")
                : $"{a.Total} x {a.Slug} (not in this nation's accelerator table)"));
        return $"{advert.Nation} has {has}; the job needs {needs}";
    }

    private bool SpeaksCommonVersion(CapabilityAdvert advert)
    {
        foreach (var version in OrEmpty(advert.ProtocolVersions))
        {
            if (protocolVersions.Contains(version))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Offers(CapabilityAdvert advert, WorkloadCall workload)
    {
        foreach (var offered in OrEmpty(advert.Workloads))
        {
            if (offered.Name == workload.Name && offered.Version == workload.Version)
            {
                return true;
            }
        }

        return false;
    }

    private static string Summarize(List<CandidateVerdict> feasible, List<CandidateVerdict> excluded)
    {
        // Per excluded nation, its rules once each in order of first appearance; no LINQ Distinct (a HashSet per nation).
        var text = new StringBuilder(excluded.Count * 24);
        foreach (var verdict in excluded)
        {
            text.Append(text.Length == 0 ? "" : "; ").Append(verdict.Nation.Value).Append(": ");
            var seen = 0;
            foreach (var exclusion in verdict.Exclusions)
            {
                var bit = 1 << (int)exclusion.Rule;
                if ((seen & bit) == 0)
                {
                    text.Append(seen == 0 ? "" : ", ").Append(Name(exclusion.Rule));
                    seen |= bit;
                }
            }
        }

        var why = text.ToString();
        if (feasible.Count == 0)
        {
            return excluded.Count == 0
                ? "no nation can run this job: there are no candidate nations"
                : $"no nation can run this job ({why})";
        }

        var s = feasible[0].Score!;
        var chosen = string.Create(CultureInfo.InvariantCulture,
            $"{feasible[0].Nation}: lowest score {s.Total:0.###} ({s.TotalGco2e:0.###} gCO2e on {s.Accelerator}, wait {Hours(s.ExpectedWaitHours)}) of {feasible.Count} feasible nation(s)");
        return excluded.Count == 0 ? chosen : $"{chosen}; excluded {why}";
    }

    /// <summary>The rule's name as JSON and tables write it.</summary>
    public static string Name(RoutingRule rule) => rule switch
    {
        RoutingRule.Reachability => "reachability",
        RoutingRule.ProtocolVersion => "protocolVersion",
        RoutingRule.Residency => "residency",
        RoutingRule.DataUse => "dataUse",
        RoutingRule.Workload => "workload",
        RoutingRule.AcceleratorFit => "acceleratorFit",
        RoutingRule.Walltime => "walltime",
        RoutingRule.Deadline => "deadline",
        _ => rule.ToString(),
    };

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    /// <summary>An input of the decision with what is the same for every candidate.</summary>
    /// <param name="Input">The input.</param>
    /// <param name="Name">Its reference as text, e.g. <c>FR/cancer-registry</c>.</param>
    /// <param name="DataUse">Its data-use exclusions, the same in every nation; null when they depend on the nation (GS).</param>
    private readonly record struct PreparedInput(InputDataset Input, string Name, ImmutableArray<Exclusion>? DataUse);

    private static string Hours(double hours) => string.Create(CultureInfo.InvariantCulture, $"{hours:0.##} h");

    private static string Finish(DateTimeOffset start, double hours) =>
        hours < (DateTimeOffset.MaxValue - start).TotalHours - 24 ? Time(start.AddHours(hours)) : "beyond 9999-12-31";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
