using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Reference;
using Federation.Routing.Accelerators;
using Federation.Routing.Energy;
using Federation.Routing.Trust;

namespace Federation.Routing;

/// <content>
/// The decision without its record: the same filters and scores as <see cref="Plan"/>, on values only. It
/// writes no reason and builds no verdict, and checks data use with <see cref="DataUseMatcher.Allows"/> on a
/// <see cref="Purpose"/> value: in steady state a decision allocates nothing, with or without inputs.
/// </content>
public sealed partial class Router
{
    private const byte UsableEverywhere = 0;
    private const byte UsableNowhere = 1;
    private const byte UsableInListedNations = 2;

    // Adverts change when a nation advertises again, not per decision: what the table says of their models is kept with them.
    private readonly ConditionalWeakTable<CapabilityAdvert, AcceleratorSpec?[]> _models = new();

    /// <summary>
    /// Decides <paramref name="request"/> as <see cref="Plan"/> does, without writing the decision record: the
    /// chosen nation, model and score are those of <see cref="Plan"/>'s first-ranked candidate.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Plan"/>.</exception>
    public RouteChoice Decide(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!InputsMatch(request))
        {
            CheckInputs(request);
        }

        var want = request.Spec.Accelerators;
        if (want.Count < 1)
        {
            throw new ArgumentException($"the job asks for {want.Count} accelerators; 1 or more", nameof(request));
        }

        if (request.Spec.Federated is not null)
        {
            // As in Plan: a planned federated job goes to its aggregating nation (no accelerator model or score is chosen there).
            var plan = PlanFederated(request);
            return new RouteChoice(plan.Planned ? plan.Aggregator : null, null, double.NaN, plan.Planned ? plan.Aggregators.Count(a => a.Allowed) : 0, OrEmpty(request.Candidates).Length);
        }

        var work = WorkFlops(request.Spec.Work);
        var inputs = OrEmpty(request.Inputs);
        // The user API accepts at most 64 inputs (JobRequestParser), so a job's verdicts live on the stack.
        Span<byte> usable = inputs.Length <= 64 ? stackalloc byte[inputs.Length] : new byte[inputs.Length];
        Usable(request, inputs, usable);

        var candidates = OrEmpty(request.Candidates);
        NationCode? chosen = null;
        AcceleratorSlug? model = null;
        var best = double.NaN;
        var feasible = 0;
        foreach (var candidate in candidates)
        {
            if (!Feasible(request, inputs, usable, candidate, work, out var total, out var slug))
            {
                continue;
            }

            feasible++;
            var order = chosen is { } current ? total.CompareTo(best) : -1;
            if (order < 0 || (order == 0 && string.CompareOrdinal(candidate.Nation.Value, chosen!.Value.Value) < 0))
            {
                (chosen, model, best) = (candidate.Nation, slug, total);
            }
        }

        return new RouteChoice(chosen, model, best, feasible, candidates.Length);
    }

    /// <summary>Whether each input's data-use conditions allow the job's purpose everywhere, nowhere, or only in the nations they list (GS).</summary>
    private static void Usable(RoutingRequest request, ImmutableArray<InputDataset> inputs, Span<byte> usable)
    {
        if (inputs.IsEmpty)
        {
            return;
        }

        // A Purpose is a value and DataUseMatcher.Allows writes no reason: this allocates nothing.
        var anywhere = Purpose.Of(request.Spec, request.Job.Origin, DateOnly.FromDateTime(request.Now.UtcDateTime));
        for (var i = 0; i < inputs.Length; i++)
        {
            var conditions = inputs[i].DataUse;
            if (!DataUseMatcher.DependsOnProcessingNation(conditions))
            {
                usable[i] = DataUseMatcher.Allows(conditions, anywhere) ? UsableEverywhere : UsableNowhere;
            }
            else
            {
                // GS is the one term that reads the processing nation: met in a listed nation, unmet elsewhere.
                // The other terms read no nation, so one listed nation answers for all of them.
                usable[i] = !conditions.Nations.IsDefaultOrEmpty && DataUseMatcher.Allows(conditions, anywhere with { ProcessingNation = conditions.Nations[0] })
                    ? UsableInListedNations
                    : UsableNowhere;
            }
        }
    }

    private bool Feasible(RoutingRequest request, ImmutableArray<InputDataset> inputs, ReadOnlySpan<byte> usable, CandidateNation candidate, double workFlops, out double total, out AcceleratorSlug slug)
    {
        (total, slug) = (double.NaN, default);
        var nation = candidate.Nation;
        if (candidate.Advert is not { } advert)
        {
            return false;
        }

        var excluded = candidate.Health == PeerHealth.Unreachable || !SpeaksCommonVersion(advert);
        var transferBytes = 0L;
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            excluded |= !input.Residency.Allows(input.Ref.Nation, nation)
                || usable[i] == UsableNowhere
                || (usable[i] == UsableInListedNations && !Lists(input.DataUse.Nations, nation));
            if (input.Ref.Nation != nation)
            {
                transferBytes += input.SizeBytes;
            }
        }

        // Scored even when excluded, as Plan scores it: a figure the energy model refuses fails both alike.
        var (intensity, pue) = AdvertClaims.Figures(advert, candidate.Reference);
        var found = BestTotal(request, advert, intensity, pue, workFlops, transferBytes, out total, out slug);
        return found && !excluded && Offers(advert, request.Spec.Workload);
    }

    /// <summary>As BestScore, on numbers: the fitting model with the lowest total within the walltime and the deadline.</summary>
    private bool BestTotal(RoutingRequest request, CapabilityAdvert advert, double intensity, double pue, double workFlops, long transferBytes, out double best, out AcceleratorSlug bestSlug)
    {
        var want = request.Spec.Accelerators;
        var spec = request.Spec;
        var hoursLeft = spec.Deadline is { } deadline ? (deadline - request.Now).TotalHours : double.PositiveInfinity;
        var found = false;
        (best, bestSlug) = (double.NaN, default);
        var offers = OrEmpty(advert.Accelerators);
        if (!_models.TryGetValue(advert, out var models))
        {
            models = _models.GetValue(advert, LookUpModels);
        }

        for (var i = 0; i < offers.Length; i++)
        {
            var offer = offers[i];
            var model = models[i];
            if (!AcceleratorFit.Fits(want, offer.Slug, offer.Total, model) || model.TensorTflops is not { } tflops)
            {
                continue;
            }

            var runHours = workFlops / (tflops * 1e12 * SecondsPerHour) / want.Count;
            var energy = EnergyModel.Of(PowerFigure.Tdp(model, want.Count), runHours, pue, transferBytes, weights.TransferKwhPerGb, intensity);
            var wait = (advert.QueueDepth * weights.QueuedJobHours / Math.Max(1, offer.Total)) + (offer.Free < want.Count ? weights.QueuedJobHours : 0);
            var total = (weights.PerGco2e * energy.TotalGco2e) + (weights.PerWaitHour * wait);
            if ((spec.Walltime > TimeSpan.Zero && runHours * SecondsPerHour > spec.Walltime.TotalSeconds)
                || (spec.Deadline is not null && wait + runHours > hoursLeft))
            {
                continue;
            }

            if (!found || total < best || (total.Equals(best) && string.CompareOrdinal(offer.Slug.Value, bestSlug.Value) < 0))
            {
                (found, best, bestSlug) = (true, total, offer.Slug);
            }
        }

        return found;
    }

    /// <summary>The table's figures of each model an advert lists, in its order (null: not in the table); looked up once per advert.</summary>
    private AcceleratorSpec?[] LookUpModels(CapabilityAdvert advert) =>
        [.. OrEmpty(advert.Accelerators).Select(offer => reference.FindAccelerator(offer.Slug))];

    private static bool Lists(ImmutableArray<NationCode> nations, NationCode nation)
    {
        foreach (var listed in nations)
        {
            if (string.Equals(listed.Value, nation.Value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>CheckInputs without its lists: each input of the job described once, compared as a multiset.</summary>
    private static bool InputsMatch(RoutingRequest request)
    {
        var stated = OrEmpty(request.Spec.Inputs);
        var described = OrEmpty(request.Inputs);
        if (stated.Length != described.Length)
        {
            return false;
        }

        foreach (var input in stated)
        {
            var inStated = 0;
            var inDescribed = 0;
            foreach (var other in stated)
            {
                inStated += other == input ? 1 : 0;
            }

            foreach (var other in described)
            {
                inDescribed += other.Ref == input ? 1 : 0;
            }

            if (inStated != inDescribed)
            {
                return false;
            }
        }

        return true;
    }
}
