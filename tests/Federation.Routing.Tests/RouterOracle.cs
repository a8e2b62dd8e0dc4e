using System.Collections.Immutable;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;
using Federation.Reference;

namespace Federation.Routing.Tests;

/// <summary>
/// An independent re-derivation of what the router should conclude: each hard rule from the
/// primitive checks (<see cref="Federation.Contracts.Catalogue.Datasets.Residency.Allows"/>,
/// <see cref="DataUseMatcher.Check"/>, the advert's fields, the accelerator table), and each score
/// from the formula written in Router.cs's remarks. Uses nothing of the router itself.
/// </summary>
internal static class RouterOracle
{
    /// <summary>The protocol versions the router under test speaks.</summary>
    public const int ProtocolVersion = 1;

    public static ImmutableArray<ExpectedVerdict> Expect(RoutingRequest request, ReferenceTables table, ScoreWeights weights)
    {
        var day = RouterFixtures.DayOf(request);
        return [.. request.Candidates.Select(c => Expect(request, c, day, table, weights))];
    }

    private static ExpectedVerdict Expect(RoutingRequest request, CandidateNation candidate, DateOnly day, ReferenceTables table, ScoreWeights weights)
    {
        var nation = candidate.Nation;
        var advert = candidate.Advert;
        var purpose = Purpose.Of(request.Spec, nation, day);

        var forbids = request.Inputs.Where(i => !i.Residency.Allows(i.Ref.Nation, nation)).Select(i => i.Ref.ToString()).ToImmutableHashSet();
        var unmet = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<string>>();
        foreach (var input in request.Inputs)
        {
            var use = DataUseMatcher.Check(input.DataUse, purpose);
            if (!use.Allowed)
            {
                unmet[input.Ref.ToString()] = use.Reasons.Select(r => r.Code).ToImmutableHashSet();
            }
        }

        var bytesAway = request.Inputs.Where(i => i.Ref.Nation != nation).Sum(i => i.SizeBytes);
        return new ExpectedVerdict
        {
            Nation = nation,
            Reachable = advert is not null && candidate.Health != PeerHealth.Unreachable,
            SpeaksCommonVersion = advert is not null && advert.ProtocolVersions.OrEmpty().Contains(ProtocolVersion),
            ResidencyForbids = forbids,
            DataUseUnmet = unmet.ToImmutable(),
            OffersWorkload = advert?.Workloads.OrEmpty().Contains(new WorkloadRef(request.Spec.Workload.Name, request.Spec.Workload.Version)),
            Fitting = advert is null ? [] : [.. Options(request, advert, bytesAway, table, weights)],
        };
    }

    private static IEnumerable<ExpectedOption> Options(RoutingRequest request, CapabilityAdvert advert, long bytesAway, ReferenceTables table, ScoreWeights weights)
    {
        var want = request.Spec.Accelerators;
        foreach (var offer in advert.Accelerators.OrEmpty())
        {
            var spec = table.FindAccelerator(offer.Slug);
            var modelAllowed = want.Models.IsDefaultOrEmpty || want.Models.Contains(offer.Slug);
            if (!modelAllowed || offer.Total < want.Count || spec?.TensorTflops is not { } tflops || spec.MemoryGb < want.MinMemoryGb)
            {
                continue;
            }

            // acceleratorHours(A) = hours x tflops(reference) / tflops(A), or flops / (tflops(A) x 1e12 x 3600)
            var acceleratorHours = request.Spec.Work.Flops is { } flops
                ? flops / (tflops * 1e12 * 3600)
                : request.Spec.Work.AcceleratorHours!.Value * table.FindAccelerator(request.Spec.Work.ReferenceAccelerator!.Value)!.TensorTflops!.Value / tflops;
            var runHours = acceleratorHours / want.Count;
            var computeKwh = acceleratorHours * spec.TdpWatts / 1000 * advert.Pue;
            var transferKwh = bytesAway / 1e9 * weights.TransferKwhPerGb;
            var grams = (computeKwh + transferKwh) * advert.GridIntensityGco2PerKwh;
            var waitHours = (advert.QueueDepth * weights.QueuedJobHours / offer.Total) + (offer.Free < want.Count ? weights.QueuedJobHours : 0);
            var withinWalltime = request.Spec.Walltime <= TimeSpan.Zero || runHours <= request.Spec.Walltime.TotalHours;
            var meetsDeadline = request.Spec.Deadline is not { } deadline || waitHours + runHours <= (deadline - request.Now).TotalHours;
            yield return new ExpectedOption(
                offer.Slug,
                acceleratorHours,
                runHours,
                waitHours,
                (weights.PerGco2e * grams) + (weights.PerWaitHour * waitHours),
                withinWalltime,
                meetsDeadline);
        }
    }
}
