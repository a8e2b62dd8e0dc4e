using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Routing.Trust;
using static Federation.Routing.Tests.RouterFixtures;

namespace Federation.Routing.Tests.Trust;

/// <summary>The receiver's check of an offer's inputs against their homes' terms.</summary>
public sealed class OfferInputCheckTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static readonly DatasetRef Cohort = Dataset("FR/health-cohort");
    private static readonly DatasetRef Climate = Dataset("DE/climate-archive");

    private static JobSpec Spec(params DatasetRef[] inputs) => Job() with { Inputs = [.. inputs] };

    private static InputTerms Terms(DatasetRef dataset, Residency residency, DataUseConditions? use = null) =>
        InputTerms.Known(new DatasetTermsStatement(dataset, 3, residency, use ?? DataUseConditions.Unrestricted));

    [Fact]
    public void Check_AnotherNationsHomeOnlyDataset_RefusedWithResidencyReason()
    {
        var reasons = OfferInputCheck.Check(Spec(Cohort), Nation("DE"), Today, new Dictionary<DatasetRef, InputTerms> { [Cohort] = Terms(Cohort, Residency.HomeOnly) });

        Assert.Equal("dataset FR/health-cohort may be processed only in FR, not in DE", Assert.Single(reasons));
    }

    [Fact]
    public void Check_HomeOnlyDatasetAtHome_Admitted() =>
        Assert.Empty(OfferInputCheck.Check(Spec(Cohort), Nation("FR"), Today, new Dictionary<DatasetRef, InputTerms> { [Cohort] = Terms(Cohort, Residency.HomeOnly) }));

    [Fact]
    public void Check_MovableDatasetAllowedPurpose_Admitted() =>
        Assert.Empty(OfferInputCheck.Check(Spec(Climate), Nation("SE"), Today, new Dictionary<DatasetRef, InputTerms> { [Climate] = Terms(Climate, new Residency(ResidencyKind.Anywhere, [])) }));

    [Fact]
    public void Check_NoTermsForAnInput_RefusedNamingTheDataset()
    {
        var reasons = OfferInputCheck.Check(Spec(Cohort, Climate), Nation("SE"), Today,
            new Dictionary<DatasetRef, InputTerms> { [Climate] = Terms(Climate, new Residency(ResidencyKind.Anywhere, [])) });

        Assert.Equal("dataset FR/health-cohort: no terms signed by FR came with the offer", Assert.Single(reasons));
    }

    [Fact]
    public void Check_FailureGiven_ThatFailureIsTheReason() =>
        Assert.Equal("dataset FR/x: tampered", Assert.Single(OfferInputCheck.Check(Spec(Dataset("FR/x")), Nation("SE"), Today,
            new Dictionary<DatasetRef, InputTerms> { [Dataset("FR/x")] = InputTerms.Unknown("dataset FR/x: tampered") })));

    [Fact]
    public void Check_DataUseForbidsThePurpose_RefusedWithTheDuoReason()
    {
        var commercial = Spec(Climate) with { Purpose = new JobPurpose { Use = ResearchCategory.HealthMedicalBiomedical, Commercial = true } };
        var ncu = DataUseConditions.Unrestricted with { Permission = DuoPermission.HMB, Modifiers = [DuoModifier.NCU] };

        var reasons = OfferInputCheck.Check(commercial, Nation("SE"), Today,
            new Dictionary<DatasetRef, InputTerms> { [Climate] = Terms(Climate, new Residency(ResidencyKind.Anywhere, []), ncu) });

        Assert.StartsWith("dataset DE/climate-archive: NCU", Assert.Single(reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TermsOfAnotherDataset_Refused() =>
        Assert.Equal("dataset FR/health-cohort: the terms describe DE/climate-archive", Assert.Single(OfferInputCheck.Check(Spec(Cohort), Nation("SE"), Today,
            new Dictionary<DatasetRef, InputTerms> { [Cohort] = Terms(Climate, new Residency(ResidencyKind.Anywhere, [])) })));
}
