using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;
using Federation.Routing.Accelerators;
using Federation.Routing.Energy;
using Federation.Routing.Trust;

namespace Federation.Routing;

/// <content>One candidate nation assessed for the decision record: its exclusions with their reasons, or its score.</content>
public sealed partial class Router
{
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

        if (advert is { Draining: true } && candidate.Health != PeerHealth.Unreachable)
        {
            exclusions.Add(new Exclusion(RoutingRule.Reachability, $"{nation} is draining: it admits no new jobs"));
        }

        if (advert is not null && !SpeaksCommonVersion(advert))
        {
            exclusions.Add(new Exclusion(RoutingRule.ProtocolVersion,
                $"{nation} speaks federation protocol version(s) {string.Join(", ", advert.ProtocolVersions)}; this nation speaks {string.Join(", ", _versions)}"));
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
                exclusions.AddRange(DataUseExclusions(input, name, purpose.Value));
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
            if (Array.IndexOf(_versions, version) >= 0)
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
}
