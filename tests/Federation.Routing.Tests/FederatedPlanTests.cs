using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;
using Federation.Reference;
using static Federation.Routing.Tests.RouterFixtures;
using static Federation.Routing.Tests.Samples;

namespace Federation.Routing.Tests;

/// <summary>
/// <see cref="Router.PlanFederated"/>: a local step where each input lives, the lowest-emission aggregator
/// that every input's export policy and the contributor minimum allow, what crosses which border, and
/// the reasons when the job cannot be planned.
/// </summary>
public sealed class FederatedPlanTests
{
    private static readonly Router _router = new(ReferenceTables.Shipped);

    private static readonly NationCode NO = Nation("NO");

    private static readonly WorkloadCall Aggregate = new() { Name = "fl-aggregate", Version = "1.0" };

    private static readonly Residency HomeOnly = new(ResidencyKind.HomeOnly, []);

    private static FederatedSpec Federated(bool secure = true, int? minContributors = null) => new()
    {
        Training = Train,
        Rounds = 8,
        RoundPolicy = new FederatedRoundPolicy { OnFailure = RoundFailurePolicy.Wait, WaitMinutes = 30 },
        SecureAggregation = secure,
        MinContributors = minContributors ?? (secure ? 2 : 1),
    };

    private static JobSpec FederatedJob(FederatedSpec? federated = null) => Job() with { Workload = Aggregate, Federated = federated ?? Federated() };

    /// <summary>A reachable nation offering training and aggregation, with the grid intensity and PUE given.</summary>
    private static CandidateNation Candidate(NationCode nation, double intensity, double pue = 1.2) =>
        Reachable(Advert(nation, Capacity(H100, 8, 8)) with
        {
            GridIntensityGco2PerKwh = intensity,
            Pue = pue,
            Workloads = [new WorkloadRef(Train.Name, Train.Version), new WorkloadRef(Aggregate.Name, Aggregate.Version)],
        });

    private static InputDataset HomeOnlyInput(string dataset, ExportPolicy exports = ExportPolicy.MaskedUpdates) =>
        Input(dataset, HomeOnly) with { Exports = exports };

    private static InputDataset[] ThreeNations(ExportPolicy de = ExportPolicy.MaskedUpdates) =>
        [HomeOnlyInput("FR/health-records"), HomeOnlyInput("DE/clinic-panel", de), HomeOnlyInput("SE/biobank")];

    [Fact]
    public void PlanFederated_HomeOnlyDataInThreeNations_AggregatesInTheLowestEmissionAllowedNation()
    {
        // Intensity x PUE: FR 50 x 1.2 = 60, DE 300 x 1.1 = 330, SE 20 x 1.3 = 26; NO (10) would be lowest but is unreachable.
        var unreachableNo = Candidate(NO, 10) with { Health = PeerHealth.Unreachable, HealthReason = "no advert for 10 minutes" };
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300, 1.1), Candidate(SE, 20, 1.3), unreachableNo };

        var plan = _router.PlanFederated(Request(FederatedJob(), candidates, ThreeNations()));

        Assert.True(plan.Planned, plan.Summary);
        Assert.Equal(SE, plan.Aggregator);
        Assert.Empty(plan.Refusals);
        Assert.Equal(
            ["LocalTraining DE DE/clinic-panel", "LocalTraining FR FR/health-records", "LocalTraining SE SE/biobank", "Aggregation SE "],
            plan.Steps.Select(s => $"{s.Kind} {s.Nation} {string.Join(",", s.Inputs)}"));
        Assert.Equal(Aggregate, plan.Steps[^1].Workload);
        Assert.All(plan.Steps.SkipLast(1), s => Assert.Equal(Train, s.Workload));

        Assert.Equal(["SE 1 26", "FR 2 60", "DE 3 330", "NO  12"], plan.Aggregators.Select(a => $"{a.Nation} {a.Rank} {a.Gco2PerAcceleratorKwh:0.##}"));
        var no = Assert.Single(plan.Aggregators, a => a.Nation == NO);
        Assert.Equal(RoutingRule.Reachability, Assert.Single(no.Exclusions).Rule);

        // Only masked updates travel to the aggregator and the aggregated model back; the final model goes to the origin (FR).
        Assert.Equal(
            ["DE->SE MaskedUpdates", "SE->DE AggregatedModel", "FR->SE MaskedUpdates", "SE->FR AggregatedModel", "SE->FR AggregatedModel"],
            plan.Crossings.Select(c => $"{c.From}->{c.To} {c.What}"));
        Assert.Contains("DE/clinic-panel exports maskedUpdates", plan.Crossings[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("federated: local steps in DE, FR, SE; aggregation in SE (26 gCO2e per accelerator kWh", plan.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExportPolicy.None, "none")]
    [InlineData(ExportPolicy.Metrics, "metrics")]
    public void PlanFederated_AnInputThatDoesNotExportUpdates_NotPlannedNamingTheDatasetAndPolicy(ExportPolicy policy, string name)
    {
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300), Candidate(SE, 20) };

        var plan = _router.PlanFederated(Request(FederatedJob(), candidates, ThreeNations(de: policy)));

        Assert.False(plan.Planned);
        Assert.Null(plan.Aggregator);
        Assert.Empty(plan.Crossings);
        var refusal = Assert.Single(plan.Refusals);
        Assert.Equal(RoutingRule.Exports, refusal.Rule);
        Assert.Equal("DE/clinic-panel", refusal.Subject);
        Assert.Equal(name, refusal.Code);
        Assert.Contains($"dataset DE/clinic-panel exports '{name}'", plan.Summary, StringComparison.Ordinal);
        Assert.StartsWith("federated job not planned: ", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanFederated_MaskedUpdatesWithSecureAggregationOff_NotPlanned()
    {
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300), Candidate(SE, 20) };
        var inputs = new[] { HomeOnlyInput("FR/health-records", ExportPolicy.Updates), HomeOnlyInput("DE/clinic-panel"), HomeOnlyInput("SE/biobank", ExportPolicy.Updates) };

        var plan = _router.PlanFederated(Request(FederatedJob(Federated(secure: false)), candidates, inputs));

        Assert.False(plan.Planned);
        var refusal = Assert.Single(plan.Refusals);
        Assert.Equal(RoutingRule.Exports, refusal.Rule);
        Assert.Equal("DE/clinic-panel", refusal.Subject);
        Assert.Contains("turns secure aggregation off", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanFederated_EveryInputExportsUpdatesAndSecureAggregationOff_PlainUpdatesCross()
    {
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300), Candidate(SE, 20) };
        var inputs = new[] { HomeOnlyInput("FR/health-records", ExportPolicy.Updates), HomeOnlyInput("DE/clinic-panel", ExportPolicy.Updates) };

        var plan = _router.PlanFederated(Request(FederatedJob(Federated(secure: false)), candidates, inputs));

        Assert.True(plan.Planned, plan.Summary);
        Assert.Equal(SE, plan.Aggregator);
        Assert.Equal(2, plan.Crossings.Count(c => c.What == CrossingKind.Updates));
        Assert.DoesNotContain(plan.Crossings, c => c.What == CrossingKind.MaskedUpdates);
    }

    [Fact]
    public void PlanFederated_TwoDataNations_OnlyAThirdNationMayAggregateSecurely()
    {
        // FR is the cleanest grid, but aggregating there leaves one contributor (DE), whose update the sum would reveal.
        var candidates = new[] { Candidate(FR, 5), Candidate(DE, 300), Candidate(SE, 20) };
        var inputs = new[] { HomeOnlyInput("FR/health-records"), HomeOnlyInput("DE/clinic-panel") };

        var plan = _router.PlanFederated(Request(FederatedJob(), candidates, inputs));

        Assert.True(plan.Planned, plan.Summary);
        Assert.Equal(SE, plan.Aggregator);
        var fr = Assert.Single(plan.Aggregators, a => a.Nation == FR);
        var exclusion = Assert.Single(fr.Exclusions);
        Assert.Equal(RoutingRule.Contributors, exclusion.Rule);
        Assert.Equal("with FR aggregating, 1 nation(s) would contribute (DE); secure aggregation needs at least 2 besides the aggregator, so that no single nation's update can be solved for from the sum", exclusion.Reason);
        Assert.Equal(1, fr.Contributors);
        Assert.Null(fr.Rank);
    }

    [Fact]
    public void PlanFederated_TooFewContributorsWhereverItAggregates_NotPlannedWithTheReason()
    {
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300) };
        var inputs = new[] { HomeOnlyInput("FR/health-records"), HomeOnlyInput("DE/clinic-panel") };

        var plan = _router.PlanFederated(Request(FederatedJob(), candidates, inputs));

        Assert.False(plan.Planned);
        Assert.Empty(plan.Refusals);
        Assert.All(plan.Aggregators, a => Assert.Equal(RoutingRule.Contributors, Assert.Single(a.Exclusions).Rule));
        Assert.Contains("no nation may aggregate", plan.Summary, StringComparison.Ordinal);
        Assert.Contains("secure aggregation needs at least 2 besides the aggregator", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanFederated_SpecAllowsOneContributor_PlansInTheCleanerDataNation()
    {
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300) };
        var inputs = new[] { HomeOnlyInput("FR/health-records"), HomeOnlyInput("DE/clinic-panel") };

        var plan = _router.PlanFederated(Request(FederatedJob(Federated(minContributors: 1)), candidates, inputs));

        Assert.True(plan.Planned, plan.Summary);
        Assert.Equal(FR, plan.Aggregator);
        Assert.Equal(["DE->FR MaskedUpdates", "FR->DE AggregatedModel"], plan.Crossings.Select(c => $"{c.From}->{c.To} {c.What}"));
    }

    [Fact]
    public void PlanFederated_DataNationWithoutTheTrainingWorkload_NotPlannedNamingIt()
    {
        var de = Candidate(DE, 300);
        de = de with { Advert = de.Advert! with { Workloads = [new WorkloadRef(Aggregate.Name, Aggregate.Version)] } };
        var candidates = new[] { Candidate(FR, 50), de, Candidate(SE, 20) };

        var plan = _router.PlanFederated(Request(FederatedJob(), candidates, ThreeNations()));

        Assert.False(plan.Planned);
        var refusal = Assert.Single(plan.Refusals);
        Assert.Equal(RoutingRule.Workload, refusal.Rule);
        Assert.Contains("must run in DE, which does not offer the training workload train@1.0", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanFederated_GeographicDataUse_BindsTheAggregator()
    {
        // GS with FR and DE listed: the updates are a use of the data, so SE may not aggregate them.
        var gs = DataUseConditions.Unrestricted with { Modifiers = [DuoModifier.GS], Nations = [FR, DE] };
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300), Candidate(SE, 20) };
        var inputs = new[] { Input("FR/health-records", HomeOnly, gs) with { Exports = ExportPolicy.MaskedUpdates }, HomeOnlyInput("DE/clinic-panel") };

        var plan = _router.PlanFederated(Request(FederatedJob(Federated(minContributors: 1)), candidates, inputs));

        Assert.Equal(FR, plan.Aggregator);
        var se = Assert.Single(plan.Aggregators, a => a.Nation == SE);
        Assert.Contains(se.Exclusions, e => e.Rule == RoutingRule.DataUse && e.Subject == "FR/health-records");
    }

    [Fact]
    public void Plan_FederatedJob_ChoosesTheAggregatorAndRanksTheAllowedOnes()
    {
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300), Candidate(SE, 20) };
        var request = Request(FederatedJob(), candidates, ThreeNations());

        var decision = _router.Plan(request);

        Assert.Equal(SE, decision.Federated!.Aggregator);
        Assert.Equal(SE, decision.Chosen);
        Assert.Equal(decision.Federated.Summary, decision.Summary);
        var ranked = decision.Candidates.Where(c => c.Rank is not null).OrderBy(c => c.Rank).Select(c => c.Nation).ToList();
        Assert.Equal(decision.Federated.Aggregators.Where(a => a.Allowed).OrderBy(a => a.Rank).Select(a => a.Nation), ranked);
        Assert.Equal(SE, ranked[0]);
        Assert.All(decision.Candidates.Where(c => c.Rank is null), c => Assert.NotEmpty(c.Exclusions));
        Assert.Equal(SE, _router.Decide(request).Chosen);
    }

    [Fact]
    public void Plan_UnplannedFederatedJob_ChoosesNoNation()
    {
        var candidates = new[] { Candidate(FR, 50), Candidate(DE, 300), Candidate(SE, 20) };
        var request = Request(FederatedJob(), candidates, ThreeNations(de: ExportPolicy.None));

        var decision = _router.Plan(request);

        Assert.False(decision.Federated!.Planned);
        Assert.Null(decision.Chosen);
        Assert.Empty(decision.Candidates);
        Assert.Null(_router.Decide(request).Chosen);
    }

    [Fact]
    public void PlanFederated_OrdinaryJob_Throws() =>
        Assert.Throws<ArgumentException>(() => _router.PlanFederated(Request(Job(), [Candidate(FR, 50)], HomeOnlyInput("FR/health-records"))));
}
