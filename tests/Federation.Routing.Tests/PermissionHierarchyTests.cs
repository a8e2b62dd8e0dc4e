using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Jobs;
using static Federation.Routing.Tests.Samples;

namespace Federation.Routing.Tests;

public sealed class PermissionHierarchyTests
{
    private const string Cancer = "MONDO:0004992";

    [Theory]
    [InlineData(DuoPermission.NRES, ResearchCategory.General, true)]
    [InlineData(DuoPermission.NRES, ResearchCategory.HealthMedicalBiomedical, true)]
    [InlineData(DuoPermission.NRES, ResearchCategory.DiseaseSpecific, true)]
    [InlineData(DuoPermission.NRES, ResearchCategory.PopulationOriginsAncestry, true)]
    [InlineData(DuoPermission.NRES, ResearchCategory.ClinicalCare, true)]
    [InlineData(DuoPermission.GRU, ResearchCategory.General, true)]
    [InlineData(DuoPermission.GRU, ResearchCategory.HealthMedicalBiomedical, true)]
    [InlineData(DuoPermission.GRU, ResearchCategory.DiseaseSpecific, true)]
    [InlineData(DuoPermission.GRU, ResearchCategory.PopulationOriginsAncestry, true)]
    [InlineData(DuoPermission.GRU, ResearchCategory.ClinicalCare, false)]
    [InlineData(DuoPermission.HMB, ResearchCategory.General, false)]
    [InlineData(DuoPermission.HMB, ResearchCategory.HealthMedicalBiomedical, true)]
    [InlineData(DuoPermission.HMB, ResearchCategory.DiseaseSpecific, true)]
    [InlineData(DuoPermission.HMB, ResearchCategory.PopulationOriginsAncestry, false)]
    [InlineData(DuoPermission.HMB, ResearchCategory.ClinicalCare, false)]
    [InlineData(DuoPermission.DS, ResearchCategory.General, false)]
    [InlineData(DuoPermission.DS, ResearchCategory.HealthMedicalBiomedical, false)]
    [InlineData(DuoPermission.DS, ResearchCategory.DiseaseSpecific, true)]
    [InlineData(DuoPermission.DS, ResearchCategory.PopulationOriginsAncestry, false)]
    [InlineData(DuoPermission.DS, ResearchCategory.ClinicalCare, false)]
    [InlineData(DuoPermission.POA, ResearchCategory.General, false)]
    [InlineData(DuoPermission.POA, ResearchCategory.HealthMedicalBiomedical, false)]
    [InlineData(DuoPermission.POA, ResearchCategory.DiseaseSpecific, false)]
    [InlineData(DuoPermission.POA, ResearchCategory.PopulationOriginsAncestry, true)]
    [InlineData(DuoPermission.POA, ResearchCategory.ClinicalCare, false)]
    public void Check_PermissionAgainstCategory_FollowsHierarchy(DuoPermission permission, ResearchCategory category, bool allowed)
    {
        var conditions = Conditions(permission, permission == DuoPermission.DS ? Cancer : null);

        var decision = DataUseMatcher.Check(conditions, Purpose(category, Cancer));

        Assert.Equal(allowed, decision.Allowed);
        if (allowed)
        {
            Assert.Empty(decision.Reasons);
        }
        else
        {
            var reason = Assert.Single(decision.Reasons);
            Assert.Equal(permission.ToString(), reason.Code);
            Assert.StartsWith($"{permission} ({DataUseMatcher.DuoId(permission)})", reason.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_HmbAgainstGeneralResearch_ReasonNamesCodeIdAndPurpose()
    {
        var decision = DataUseMatcher.Check(Conditions(DuoPermission.HMB), Purpose(ResearchCategory.General));

        var reason = Assert.Single(decision.Reasons);
        Assert.Equal("HMB (DUO:0000006) allows health/medical/biomedical research only; the purpose is general research", reason.Text);
        Assert.Equal("DUO:0000006", reason.DuoId);
    }

    [Fact]
    public void Check_DsSameTermDifferentCase_Allowed()
    {
        var decision = DataUseMatcher.Check(Conditions(DuoPermission.DS, Cancer), Purpose(ResearchCategory.DiseaseSpecific, "mondo:0004992"));

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Check_DsChildTerm_RefusedBecauseNoSubsumption()
    {
        // MONDO:0007254 (breast cancer) is a kind of MONDO:0004992 (cancer), but terms are compared exactly.
        var decision = DataUseMatcher.Check(Conditions(DuoPermission.DS, Cancer), Purpose(ResearchCategory.DiseaseSpecific, "MONDO:0007254"));

        var reason = Assert.Single(decision.Reasons);
        Assert.Equal("DS", reason.Code);
        Assert.Contains("ontology subsumption is not done", reason.Text, StringComparison.Ordinal);
        Assert.Contains("MONDO:0007254", reason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DsPurposeWithoutTerm_Refused()
    {
        var decision = DataUseMatcher.Check(Conditions(DuoPermission.DS, Cancer), Purpose(ResearchCategory.DiseaseSpecific));

        var reason = Assert.Single(decision.Reasons);
        Assert.Contains("names no disease term", reason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DsConditionsWithoutTerm_RefusedFailClosed()
    {
        var decision = DataUseMatcher.Check(Conditions(DuoPermission.DS), Purpose(ResearchCategory.DiseaseSpecific, Cancer));

        Assert.False(decision.Allowed);
        Assert.Equal("DUO:0000007", Assert.Single(decision.Reasons).DuoId);
    }

    [Fact]
    public void Check_SeveralUnmetTerms_ListsEveryReason()
    {
        var conditions = Conditions(DuoPermission.HMB, null, DuoModifier.NCU, DuoModifier.IRB);

        var decision = DataUseMatcher.Check(conditions, Purpose(ResearchCategory.General) with { Commercial = true });

        Assert.Equal(["HMB", "NCU", "IRB"], decision.Reasons.Select(r => r.Code));
    }
}
