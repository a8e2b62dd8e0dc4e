using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;

namespace Federation.Routing;

/// <content>The federated plan's border crossings and sentences.</content>
public sealed partial class Router
{
    /// <summary>The export policy's name as JSON and the catalogue write it.</summary>
    public static string ExportName(ExportPolicy policy) => policy switch
    {
        ExportPolicy.None => "none",
        ExportPolicy.Metrics => "metrics",
        ExportPolicy.MaskedUpdates => "maskedUpdates",
        ExportPolicy.Updates => "updates",
        _ => policy.ToString(),
    };

    /// <summary>What crosses which border in each round once <paramref name="aggregator"/> is chosen; never rows.</summary>
    private static ImmutableArray<BorderCrossing> Crossings(RoutingRequest request, FederatedSpec federated, List<IGrouping<NationCode, InputDataset>> homes, NationCode aggregator)
    {
        var crossings = ImmutableArray.CreateBuilder<BorderCrossing>();
        foreach (var home in homes.Where(h => h.Key != aggregator))
        {
            var allows = string.Join(", ", home.Select(i => $"{i.Ref} exports {ExportName(i.Exports)}"));
            crossings.Add(federated.SecureAggregation
                ? new BorderCrossing(home.Key, aggregator, CrossingKind.MaskedUpdates, $"the local update, masked pairwise so {aggregator} reads only the sum ({allows})")
                : new BorderCrossing(home.Key, aggregator, CrossingKind.Updates, $"the plain local update, secure aggregation being off ({allows})"));
            if (federated.Stopping.Rule == StoppingRule.ValidationLoss)
            {
                crossings.Add(new BorderCrossing(home.Key, aggregator, CrossingKind.Metrics, "the validation loss the stopping rule reads, after disclosure control"));
            }

            crossings.Add(new BorderCrossing(aggregator, home.Key, CrossingKind.AggregatedModel, "the round's aggregated model, the start of the next local step"));
        }

        var origin = request.Job.Origin;
        if (origin != aggregator)
        {
            crossings.Add(new BorderCrossing(aggregator, origin, CrossingKind.AggregatedModel, "the final model, to the job's origin"));
        }

        return crossings.ToImmutable();
    }

    private static string Offered(CapabilityAdvert advert) =>
        advert.Workloads.IsDefaultOrEmpty ? "none" : string.Join(", ", advert.Workloads.Select(w => $"{w.Name}@{w.Version}"));

    private static string TooFew(FederatedSpec federated, NationCode aggregator, List<NationCode> contributors)
    {
        var who = contributors.Count == 0 ? "no other nation" : string.Join(", ", contributors.Select(c => c.Value));
        var rule = federated.SecureAggregation
            ? $"secure aggregation needs at least {federated.MinContributors} besides the aggregator, so that no single nation's update can be solved for from the sum"
            : $"the job asks for at least {federated.MinContributors}";
        return $"with {aggregator} aggregating, {contributors.Count} nation(s) would contribute ({who}); {rule}";
    }

    private static string NotPlanned(IEnumerable<Exclusion> refusals, List<AggregatorVerdict> rejected)
    {
        var reasons = refusals.Select(r => r.Reason).ToList();
        if (reasons.Count == 0)
        {
            reasons.Add(rejected.Count == 0
                ? "no nation may aggregate: there are no candidate nations"
                : "no nation may aggregate (" + string.Join("; ", rejected.Select(v => $"{v.Nation}: {string.Join(", ", v.Exclusions.Select(e => e.Reason))}")) + ")");
        }

        return "federated job not planned: " + string.Join("; ", reasons);
    }

    private static string Planned(FederatedSpec federated, List<NationCode> dataNations, AggregatorVerdict aggregator, int allowed)
    {
        var what = federated.SecureAggregation ? "masked updates" : "plain updates";
        return string.Create(CultureInfo.InvariantCulture,
            $"federated: local steps in {string.Join(", ", dataNations.Select(n => n.Value))}; aggregation in {aggregator.Nation} ({aggregator.Gco2PerAcceleratorKwh:0.#} gCO2e per accelerator kWh, the lowest of {allowed} allowed nation(s)); {what} travel to {aggregator.Nation}, the aggregated model back; at most {federated.Rounds} round(s)");
    }
}
