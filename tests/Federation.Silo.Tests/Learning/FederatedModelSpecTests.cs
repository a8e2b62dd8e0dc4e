using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Learning;
using Federation.Silo.Catalogue;
using Federation.Silo.Learning;

namespace Federation.Silo.Tests.Learning;

/// <summary>The catalogue entry of a federated job's final model (<see cref="FederatedModelSpec"/>): its name, lineage, totals, metrics and restrictions.</summary>
public sealed class FederatedModelSpecTests
{
    private static readonly JobRef Job = TypedId.Parse<JobRef>("DE/fed-toy-7");
    private static readonly NationCode De = TypedId.Parse<NationCode>("DE");
    private static readonly DatasetRef[] Inputs = [TypedId.Parse<DatasetRef>("FR/outcomes"), TypedId.Parse<DatasetRef>("SE/outcomes")];

    private static JobSpec Spec(FederatedOutput? output = null) => new()
    {
        Id = Job.Id,
        Owner = new JobOwner("alice@example.org", null),
        Inputs = [.. Inputs],
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = 0 },
        Work = new WorkEstimate(),
        Workload = new WorkloadCall { Name = "demo-train", Version = "1.0" },
        Federated = new FederatedSpec
        {
            Training = new WorkloadCall { Name = "demo-train", Version = "1.0" },
            Rounds = 2,
            RoundPolicy = new FederatedRoundPolicy { OnFailure = RoundFailurePolicy.Wait, WaitMinutes = 5 },
            Output = output,
        },
    };

    private static DatasetTermsStatement Terms(DatasetRef dataset, ExportPolicy exports) =>
        new(dataset, 3, Residency.HomeOnly, DataUseConditions.Unrestricted) { Exports = exports };

    private static FederatedRunLineage Lineage(ImmutableArray<LineageStep> steps, double? epsilon = null) =>
        new(Job, 2, steps, 0.91, 0.22, epsilon, epsilon is null ? null : 1e-5);

    [Fact]
    public void NameOf_NoOutput_IsDerivedFromTheJobId()
    {
        Assert.Equal("fed-de-fed-toy-7@1.0.0", FederatedModelSpec.NameOf(Job, Spec().Federated!).ToString());
        var named = TypedId.Parse<ModelRef>("outcome-model@2.1.0");
        Assert.Equal(named, FederatedModelSpec.NameOf(Job, Spec(new FederatedOutput { Model = named }).Federated!));
    }

    [Fact]
    public void Of_TwoRounds_LineageHasEveryStepAndTheTotals_AndWithMaskedUpdatesTheModelGoesToTheRunsNationsOnly()
    {
        ImmutableArray<LineageStep> steps =
        [
            new("local-train", Inputs[0].Nation, 1, 0.001, 0.05), new("local-train", Inputs[1].Nation, 1, 0.002, 0.02),
            new("local-train-discarded", Inputs[0].Nation, 2, 0.004, 0.2),
            new("local-train", Inputs[0].Nation, 2, 0.001, 0.05), new("local-train", Inputs[1].Nation, 2, 0.002, 0.02),
        ];
        var terms = Inputs.ToDictionary(i => i, i => (DatasetTermsStatement?)Terms(i, ExportPolicy.MaskedUpdates));
        var digest = TypedId.Parse<Sha256Digest>(new string('a', 64));

        var spec = FederatedModelSpec.Of(Job, Spec(), De, Lineage(steps), digest, 1234, terms);

        Assert.Equal(steps, spec.Lineage.Steps);
        Assert.Equal(2, spec.Lineage.Round);
        Assert.Equal(Job, spec.Lineage.ProducingJob);
        Assert.Equal(("demo-train", "1.0"), (spec.Lineage.Workload, spec.Lineage.WorkloadVersion));
        Assert.Equal(0.010, spec.EnergyKwh!.Value, 12);
        Assert.Equal(0.34, spec.EmissionsGco2e!.Value, 12);
        Assert.Equal(0.91, spec.Metrics["validationAccuracy"]);
        Assert.False(spec.Metrics.ContainsKey("dpEpsilon"));
        Assert.Equal("NOASSERTION", spec.Licence.Value);
        Assert.Equal(new ModelRestrictions { MayLeave = true, Nations = [De, Inputs[0].Nation, Inputs[1].Nation] }, spec.Restrictions);
        Assert.StartsWith("exports maskedUpdates; residency home only; data use NRES", spec.Lineage.Conditions["FR/outcomes"], StringComparison.Ordinal);
        Assert.Equal(spec, FederatedModelSpec.Of(Job, Spec(), De, Lineage(steps), digest, 1234, terms));
    }

    [Fact]
    public void Of_DifferentialPrivacy_RecordsTheBudgetForTheCard()
    {
        var spec = FederatedModelSpec.Of(Job, Spec(), De, Lineage([], epsilon: 2.5), TypedId.Parse<Sha256Digest>(new string('b', 64)), 8, new Dictionary<DatasetRef, DatasetTermsStatement?>());
        Assert.Equal((2.5, 1e-5), (spec.Metrics["dpEpsilon"], spec.Metrics["dpDelta"]));
        Assert.StartsWith("not recorded", spec.Lineage.Conditions["SE/outcomes"], StringComparison.Ordinal);
        Assert.Equal(ModelRestrictions.StaysHome, spec.Restrictions);

        var masked = Inputs.ToDictionary(i => i, i => (DatasetTermsStatement?)Terms(i, ExportPolicy.MaskedUpdates));
        var released = FederatedModelSpec.Of(Job, Spec(), De, Lineage([], epsilon: 2.5), TypedId.Parse<Sha256Digest>(new string('b', 64)), 8, masked);
        Assert.Equal(new ModelRestrictions { MayLeave = true, Nations = [] }, released.Restrictions);
    }

    [Fact]
    public void RestrictionsOf_UpdatesLeaveEveryHome_RunsNationsOnly_AnyNationWithDpOrPlainUpdates_ElseStaysHome()
    {
        ModelRestrictions runs = new() { MayLeave = true, Nations = [De, Inputs[0].Nation, Inputs[1].Nation] };
        ModelRestrictions anyNation = new() { MayLeave = true, Nations = [] };
        Dictionary<DatasetRef, DatasetTermsStatement?> With(ExportPolicy first, ExportPolicy second) =>
            new() { [Inputs[0]] = Terms(Inputs[0], first), [Inputs[1]] = Terms(Inputs[1], second) };

        // Masked updates: the run's own nations held the aggregated model every round; a spent DP budget lets it go anywhere.
        var masked = With(ExportPolicy.MaskedUpdates, ExportPolicy.MaskedUpdates);
        Assert.Equal(runs, FederatedModelSpec.RestrictionsOf(Inputs, masked, De, dpEpsilon: null));
        Assert.Equal(runs, FederatedModelSpec.RestrictionsOf(Inputs, masked, De, dpEpsilon: 0));
        Assert.Equal(anyNation, FederatedModelSpec.RestrictionsOf(Inputs, masked, De, dpEpsilon: 2.5));
        Assert.True(FederatedModelSpec.RestrictionsOf(Inputs, masked, De, dpEpsilon: 2.5).Allows(TypedId.Parse<NationCode>("GB"), out _));
        Assert.False(FederatedModelSpec.RestrictionsOf(Inputs, masked, De, dpEpsilon: null).Allows(TypedId.Parse<NationCode>("GB"), out var rule));
        Assert.Contains("not GB", rule, StringComparison.Ordinal);

        // Plain updates from every home: any nation; one masked among them: the run's nations.
        Assert.Equal(anyNation, FederatedModelSpec.RestrictionsOf(Inputs, With(ExportPolicy.Updates, ExportPolicy.Updates), De, dpEpsilon: null));
        Assert.Equal(runs, FederatedModelSpec.RestrictionsOf(Inputs, With(ExportPolicy.Updates, ExportPolicy.MaskedUpdates), De, dpEpsilon: null));

        // A home that lets no update out, or whose terms are unknown: it stays home, DP or not.
        Assert.Equal(ModelRestrictions.StaysHome, FederatedModelSpec.RestrictionsOf(Inputs, With(ExportPolicy.MaskedUpdates, ExportPolicy.Metrics), De, dpEpsilon: 2.5));
        var oneUnknown = new Dictionary<DatasetRef, DatasetTermsStatement?>(masked) { [Inputs[1]] = null };
        Assert.Equal(ModelRestrictions.StaysHome, FederatedModelSpec.RestrictionsOf(Inputs, oneUnknown, De, dpEpsilon: 2.5));
        Assert.Equal(ModelRestrictions.StaysHome, FederatedModelSpec.RestrictionsOf([], masked, De, dpEpsilon: 2.5));
    }

    [Fact]
    public void Fit_MoreStepsThanACatalogueEntryHolds_OneTotalPerNation()
    {
        ImmutableArray<LineageStep> steps = [.. Enumerable.Range(1, 200).SelectMany(r => Inputs.Select(i => new LineageStep("local-train", i.Nation, r, 0.5, 2)))];
        var fitted = FederatedModelSpec.Fit(steps);
        Assert.Equal(2, fitted.Length);
        Assert.All(fitted, s => Assert.Equal(("local-train-total", (int?)null, 100.0, 400.0), (s.Name, s.Round, s.EnergyKwh, s.EmissionsGco2e)));
        Assert.True(steps.Length > ModelLineageParser.MaxItems);
    }
}
