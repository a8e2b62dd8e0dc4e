using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;
using Federation.Routing.Accelerators;
using Federation.Routing.Trust;

namespace Federation.Routing;

/// <content>
/// The plan of a federated job: a local step where each input lives (if its residency and data use allow
/// processing there), and an aggregation step in the lowest-emission nation allowed to receive what
/// every input's export policy lets travel. Pure, like <see cref="Plan"/>.
/// </content>
public sealed partial class Router
{
    /// <summary>
    /// Plans the federated job of <paramref name="request"/>: its local steps, its aggregator, what crosses
    /// which border, every aggregator candidate with its exclusions or rank; or why it cannot be planned.
    /// </summary>
    /// <exception cref="ArgumentException">The job is not federated, has no inputs, or the request's inputs do not match the job's.</exception>
    public FederatedPlan PlanFederated(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var federated = request.Spec.Federated ?? throw new ArgumentException("the job is not federated: plan it with Plan", nameof(request));
        if (!InputsMatch(request))
        {
            CheckInputs(request);
        }

        var inputs = OrEmpty(request.Inputs);
        if (inputs.IsEmpty)
        {
            throw new ArgumentException("a federated job needs input datasets: its local steps run where they live", nameof(request));
        }

        var today = DateOnly.FromDateTime(request.Now.UtcDateTime);
        var candidates = OrEmpty(request.Candidates);
        var refusals = ImmutableArray.CreateBuilder<Exclusion>();
        foreach (var input in inputs)
        {
            if (ExportRefusal(input, federated) is { } refusal)
            {
                refusals.Add(refusal);
            }
        }

        var steps = ImmutableArray.CreateBuilder<FederatedStep>();
        var homes = inputs.GroupBy(i => i.Ref.Nation).OrderBy(g => g.Key.Value, StringComparer.Ordinal).ToList();
        foreach (var home in homes)
        {
            refusals.AddRange(LocalStepRefusals(request, federated, home.Key, [.. home], candidates, today));
            steps.Add(new FederatedStep { Kind = FederatedStepKind.LocalTraining, Nation = home.Key, Workload = federated.Training, Inputs = [.. home.Select(i => i.Ref)] });
        }

        var dataNations = homes.Select(h => h.Key).ToList();
        var verdicts = candidates.Select(c => AssessAggregator(request, federated, c, inputs, dataNations, today)).ToList();
        var allowed = verdicts.Where(v => v.Allowed)
            .OrderBy(v => v.Gco2PerAcceleratorKwh!.Value)
            .ThenBy(v => v.Nation.Value, StringComparer.Ordinal)
            .Select((v, i) => v with { Rank = i + 1 })
            .ToList();
        var rejected = verdicts.Where(v => !v.Allowed).OrderBy(v => v.Nation.Value, StringComparer.Ordinal).ToList();
        var aggregators = allowed.Concat(rejected).ToImmutableArray();
        if (refusals.Count > 0 || allowed.Count == 0)
        {
            return new FederatedPlan
            {
                Planned = false,
                Summary = NotPlanned(refusals, rejected),
                Steps = steps.ToImmutable(),
                Aggregators = aggregators,
                Refusals = refusals.ToImmutable(),
            };
        }

        var aggregator = allowed[0];
        steps.Add(new FederatedStep { Kind = FederatedStepKind.Aggregation, Nation = aggregator.Nation, Workload = request.Spec.Workload });
        return new FederatedPlan
        {
            Planned = true,
            Summary = Planned(federated, dataNations, aggregator, allowed.Count),
            Aggregator = aggregator.Nation,
            Steps = steps.ToImmutable(),
            Crossings = Crossings(request, federated, homes, aggregator.Nation),
            Aggregators = aggregators,
        };
    }

    /// <summary>
    /// Why <paramref name="aggregator"/> may not receive the updates of <paramref name="spec"/>'s federated run on
    /// <paramref name="today"/>: an input's export policy forbids its updates to leave home, a data-use term that names
    /// nations (GS) does not name the aggregator, or too few nations besides it would contribute. Empty when it may.
    /// The router's rule for every aggregator candidate, and the aggregating nation's own check at admission.
    /// </summary>
    /// <exception cref="ArgumentException">The job is not federated.</exception>
    public static ImmutableArray<Exclusion> AggregatorRefusals(JobSpec spec, NationCode aggregator, IReadOnlyList<InputDataset> inputs, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        var federated = spec.Federated ?? throw new ArgumentException("the job is not federated", nameof(spec));
        var exclusions = ImmutableArray.CreateBuilder<Exclusion>();
        foreach (var input in inputs)
        {
            if (ExportRefusal(input, federated) is { } refusal)
            {
                exclusions.Add(refusal);
            }
        }

        var dataNations = inputs.Select(i => i.Ref.Nation).Distinct().OrderBy(n => n.Value, StringComparer.Ordinal).ToList();
        exclusions.AddRange(ReceiveRefusals(spec, federated, aggregator, inputs, dataNations, today));
        return exclusions.ToImmutable();
    }

    private static List<Exclusion> ReceiveRefusals(JobSpec spec, FederatedSpec federated, NationCode nation, IReadOnlyList<InputDataset> inputs, List<NationCode> dataNations, DateOnly today)
    {
        // The updates are a use of the data: a data-use term that names nations (GS) binds the aggregator too.
        var exclusions = new List<Exclusion>();
        Purpose? there = null;
        foreach (var input in inputs.Where(i => DataUseMatcher.DependsOnProcessingNation(i.DataUse)))
        {
            there ??= Purpose.Of(spec, nation, today);
            exclusions.AddRange(DataUseExclusions(input, input.Ref.ToString(), there.Value));
        }

        var contributors = dataNations.Where(n => n != nation).ToList();
        if (contributors.Count < federated.MinContributors)
        {
            exclusions.Add(new Exclusion(RoutingRule.Contributors, TooFew(federated, nation, contributors), nation.Value));
        }

        return exclusions;
    }

    /// <summary>
    /// The candidates a planned federated job is offered to: its allowed aggregators in rank order (the first
    /// is the plan's aggregator; a refusal there offers the next), then the excluded ones with their reasons.
    /// None when the job is not planned.
    /// </summary>
    private static ImmutableArray<CandidateVerdict> AggregatorCandidates(FederatedPlan plan) =>
        plan.Planned
            ? [.. plan.Aggregators.Select(a => new CandidateVerdict { Nation = a.Nation, Rank = a.Rank, Exclusions = a.Exclusions })]
            : [];

    /// <summary>
    /// Why <paramref name="input"/>'s export policy forbids the job whoever aggregates: its updates would leave home
    /// (or a model aggregated from them would), and only <c>maskedUpdates</c> with secure aggregation, or <c>updates</c>, allow that.
    /// </summary>
    private static Exclusion? ExportRefusal(InputDataset input, FederatedSpec federated)
    {
        var name = input.Ref.ToString();
        var policy = ExportName(input.Exports);
        return input.Exports switch
        {
            ExportPolicy.None or ExportPolicy.Metrics => new Exclusion(RoutingRule.Exports,
                $"dataset {name} exports '{policy}': no model update derived from it may leave {input.Ref.Nation}; a federated job needs every input to export 'maskedUpdates' (with secure aggregation) or 'updates', which only its steward can grant",
                name, policy),
            ExportPolicy.MaskedUpdates when !federated.SecureAggregation => new Exclusion(RoutingRule.Exports,
                $"dataset {name} exports 'maskedUpdates': its updates may leave {input.Ref.Nation} only masked, and this job turns secure aggregation off; turn it on, or ask the steward for 'updates'",
                name, policy),
            _ => null,
        };
    }

    /// <summary>Why the local step in <paramref name="home"/> on <paramref name="inputs"/> cannot run there; empty when it can.</summary>
    private List<Exclusion> LocalStepRefusals(RoutingRequest request, FederatedSpec federated, NationCode home, InputDataset[] inputs, ImmutableArray<CandidateNation> candidates, DateOnly today)
    {
        var refusals = new List<Exclusion>();
        var purpose = Purpose.Of(request.Spec, home, today);
        foreach (var input in inputs)
        {
            var (allowed, reason) = ResidencyCheck.Allows(input.Residency, input.Ref, home);
            if (!allowed)
            {
                refusals.Add(new Exclusion(RoutingRule.Residency, reason, input.Ref.ToString()));
            }

            refusals.AddRange(DataUseExclusions(input, input.Ref.ToString(), purpose));
        }

        var names = string.Join(", ", inputs.Select(i => i.Ref.ToString()));
        var candidate = candidates.FirstOrDefault(c => c.Nation == home);
        if (candidate?.Advert is not { } advert)
        {
            var why = candidate is null ? "it is not a candidate nation (not on the roster)" : $"it has not advertised its capacity yet ({candidate.HealthReason})";
            refusals.Add(new Exclusion(RoutingRule.Reachability, $"the local step on {names} must run in {home}, but {why}", home.Value));
            return refusals;
        }

        if (candidate.Health == PeerHealth.Unreachable)
        {
            refusals.Add(new Exclusion(RoutingRule.Reachability, $"the local step on {names} must run in {home}, which is unreachable: {candidate.HealthReason}", home.Value));
        }

        if (!SpeaksCommonVersion(advert))
        {
            refusals.Add(new Exclusion(RoutingRule.ProtocolVersion,
                $"{home} speaks federation protocol version(s) {string.Join(", ", advert.ProtocolVersions)}; this nation speaks {string.Join(", ", _versions)}", home.Value));
        }

        if (!Offers(advert, federated.Training))
        {
            refusals.Add(new Exclusion(RoutingRule.Workload, $"the local step on {names} must run in {home}, which does not offer the training workload {federated.Training} (it offers {Offered(advert)})", federated.Training.ToString()));
        }

        if (!OrEmpty(advert.Accelerators).Any(offer => AcceleratorFit.Fits(request.Spec.Accelerators, offer.Slug, offer.Total, reference)))
        {
            refusals.Add(new Exclusion(RoutingRule.AcceleratorFit, $"the local step on {names}: {NoFit(advert, request.Spec.Accelerators)}", home.Value));
        }

        return refusals;
    }

    private AggregatorVerdict AssessAggregator(RoutingRequest request, FederatedSpec federated, CandidateNation candidate, ImmutableArray<InputDataset> inputs, List<NationCode> dataNations, DateOnly today)
    {
        var nation = candidate.Nation;
        var exclusions = ImmutableArray.CreateBuilder<Exclusion>();
        var advert = candidate.Advert;
        if (advert is null)
        {
            exclusions.Add(new Exclusion(RoutingRule.Reachability, $"{nation} has not advertised its capacity yet ({candidate.HealthReason})"));
        }
        else
        {
            if (candidate.Health == PeerHealth.Unreachable)
            {
                exclusions.Add(new Exclusion(RoutingRule.Reachability, $"{nation} is unreachable: {candidate.HealthReason}"));
            }

            if (!SpeaksCommonVersion(advert))
            {
                exclusions.Add(new Exclusion(RoutingRule.ProtocolVersion,
                    $"{nation} speaks federation protocol version(s) {string.Join(", ", advert.ProtocolVersions)}; this nation speaks {string.Join(", ", _versions)}"));
            }

            if (!Offers(advert, request.Spec.Workload))
            {
                exclusions.Add(new Exclusion(RoutingRule.Workload,
                    $"{nation} does not offer the aggregation workload {request.Spec.Workload} (it offers {Offered(advert)})", request.Spec.Workload.ToString()));
            }
        }

        exclusions.AddRange(ReceiveRefusals(request.Spec, federated, nation, inputs, dataNations, today));
        var contributors = dataNations.Where(n => n != nation).ToList();

        double? intensity = null, pue = null;
        if (advert is not null)
        {
            (intensity, pue) = AdvertClaims.Figures(advert, candidate.Reference);
        }

        return new AggregatorVerdict
        {
            Nation = nation,
            Exclusions = exclusions.ToImmutable(),
            GridIntensityGco2PerKwh = intensity,
            Pue = pue,
            Gco2PerAcceleratorKwh = intensity * pue,
            Contributors = contributors.Count,
        };
    }
}
