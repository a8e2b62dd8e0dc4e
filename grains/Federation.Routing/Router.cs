using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Reference;

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
public sealed partial class Router(ReferenceTables reference, ScoreWeights weights, IReadOnlyCollection<int> protocolVersions)
{
    private const double SecondsPerHour = 3600;

    private readonly int[] _versions = [.. protocolVersions];

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
        if (!InputsMatch(request))
        {
            CheckInputs(request);
        }
        if (request.Spec.Accelerators.Count < 1)
        {
            throw new ArgumentException($"the job asks for {request.Spec.Accelerators.Count} accelerators; 1 or more", nameof(request));
        }

        if (request.Spec.Federated is not null)
        {
            // A federated job's one execution is at its aggregating nation (its run is the job's run; the data nations take
            // part through the round protocol): the allowed aggregators are the candidates, in the plan's order.
            var federated = PlanFederated(request);
            return new RoutingDecision
            {
                Job = request.Job,
                DecidedAt = request.Now,
                Chosen = federated.Planned ? federated.Aggregator : null,
                Summary = federated.Summary,
                Candidates = AggregatorCandidates(federated),
                Weights = weights,
                Federated = federated,
            };
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
                dataUse = DataUseExclusions(input, name, anywhere.Value);
            }

            prepared[i] = new PreparedInput(input, name, dataUse);
        }

        return prepared;
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
        RoutingRule.Exports => "exports",
        RoutingRule.Contributors => "contributors",
        _ => rule.ToString(),
    };

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    /// <summary>An input of the decision with what is the same for every candidate.</summary>
    /// <param name="Input">The input.</param>
    /// <param name="Name">Its reference as text, e.g. <c>FR/cancer-registry</c>.</param>
    /// <param name="DataUse">Its data-use exclusions, the same in every nation; null when they depend on the nation (GS).</param>
    private readonly record struct PreparedInput(InputDataset Input, string Name, ImmutableArray<Exclusion>? DataUse);
}
