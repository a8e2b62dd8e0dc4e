using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;
using Federation.Reference;
using Federation.Routing.Trust;

namespace Federation.Lifecycle.Tests.Executions;

/// <summary>The aggregating nation's admission of a federated job: it receives updates, it processes no input.</summary>
public sealed class FederatedAdmissionRulesTests
{
    private static readonly DatasetRef s_fr = TypedId.Parse<DatasetRef>("FR/outcomes");
    private static readonly DatasetRef s_de = TypedId.Parse<DatasetRef>("DE/outcomes");
    private static readonly DatasetRef s_no = TypedId.Parse<DatasetRef>("NO/outcomes");

    private static JobSpec FederatedSpec(int minContributors = 2) => ExecutionDriver.Spec() with
    {
        Inputs = [s_fr, s_de, s_no],
        Federated = new FederatedSpec
        {
            Training = new WorkloadCall { Name = "local-train", Version = "1" },
            Rounds = 3,
            RoundPolicy = new FederatedRoundPolicy { OnFailure = RoundFailurePolicy.Wait, WaitMinutes = 5 },
            MinContributors = minContributors,
        },
    };

    private static AdmissionFacts Facts(ExportPolicy de = ExportPolicy.MaskedUpdates, DataUseConditions? frUse = null) =>
        ExecutionDriver.AdmissionFacts() with
        {
            Inputs = ImmutableDictionary<DatasetRef, InputTerms>.Empty
                .Add(s_fr, Terms(s_fr, ExportPolicy.MaskedUpdates, frUse))
                .Add(s_de, Terms(s_de, de))
                .Add(s_no, Terms(s_no, ExportPolicy.Updates)),
        };

    private static InputTerms Terms(DatasetRef dataset, ExportPolicy exports, DataUseConditions? use = null) =>
        InputTerms.Known(new DatasetTermsStatement(dataset, 1, Residency.HomeOnly, use ?? DataUseConditions.Unrestricted) { Exports = exports });

    private static AdmissionVerdict Decide(AdmissionFacts facts, JobSpec spec) =>
        AdmissionRules.Decide(ExecutionDriver.Origin, new JobOffer { Job = ExecutionDriver.Job, Epoch = 1, Spec = spec, LeaseSeconds = 30 }, facts, ReferenceTables.Shipped);

    [Fact]
    public void Decide_HomeOnlyInputsElsewhereThatExportMaskedUpdates_Admits()
    {
        // The ordinary rule would refuse: none of these home-only inputs may be processed in SE.
        Assert.Equal(AdmissionRules.InputTerms, Decide(Facts(), FederatedSpec() with { Federated = null }).Rule);

        var verdict = Decide(Facts(), FederatedSpec());

        Assert.True(verdict.Admitted, verdict.Reason);
    }

    [Fact]
    public void Decide_InputThatExportsNothing_RefusesNamingTheDatasetAndThePolicy()
    {
        var verdict = Decide(Facts(de: ExportPolicy.None), FederatedSpec());

        Assert.Equal(AdmissionRules.FederatedInputTerms, verdict.Rule);
        Assert.StartsWith("exports: dataset DE/outcomes exports 'none'", verdict.Reason, StringComparison.Ordinal);
        Assert.True(verdict.Audited);
    }

    [Fact]
    public void Decide_GeographicTermThatDoesNotNameThisNation_RefusesForDataUse()
    {
        var gs = DataUseConditions.Unrestricted with { Modifiers = [DuoModifier.GS], Nations = [TypedId.Parse<NationCode>("FR")] };

        var verdict = Decide(Facts(frUse: gs), FederatedSpec());

        Assert.Equal(AdmissionRules.FederatedInputTerms, verdict.Rule);
        Assert.Contains("dataUse: dataset FR/outcomes", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TooFewOtherContributors_RefusesNamingTheRule()
    {
        var verdict = Decide(Facts(), FederatedSpec(minContributors: 4));

        Assert.Equal(AdmissionRules.FederatedInputTerms, verdict.Rule);
        Assert.StartsWith("contributors: with SE aggregating, 3 nation(s) would contribute (DE, FR, NO)", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_InputWithoutTerms_RefusesNamingTheDataset()
    {
        var facts = Facts() with { Inputs = Facts().Inputs.Remove(s_no) };

        var verdict = Decide(facts, FederatedSpec());

        Assert.Equal(AdmissionRules.FederatedInputTerms, verdict.Rule);
        Assert.Equal("dataset NO/outcomes: no terms signed by NO came with the offer", verdict.Reason);
    }
}
