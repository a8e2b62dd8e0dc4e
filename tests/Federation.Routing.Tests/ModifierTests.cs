using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Jobs;
using static Federation.Routing.Tests.Samples;

namespace Federation.Routing.Tests;

/// <summary>One test per modifier row of DATA-USE.md: the purpose that meets it and the one that does not.</summary>
public sealed class ModifierTests
{
    private const string Cancer = "MONDO:0004992";

    private static DataUseReason RefusedBy(DuoModifier modifier, DataUseConditions conditions, Purpose purpose)
    {
        var decision = DataUseMatcher.Check(conditions, purpose);
        Assert.False(decision.Allowed);
        var reason = Assert.Single(decision.Reasons);
        Assert.Equal(modifier.ToString(), reason.Code);
        Assert.Equal(DataUseMatcher.DuoId(modifier), reason.DuoId);
        Assert.StartsWith($"{modifier} ({reason.DuoId}) ", reason.Text, StringComparison.Ordinal);
        return reason;
    }

    private static void Allowed(DataUseConditions conditions, Purpose purpose) =>
        Assert.Equal(DataUseDecision.Allow, DataUseMatcher.Check(conditions, purpose));

    [Fact]
    public void Gso_GeneticStudy_AllowedOtherwiseRefused()
    {
        Allowed(With(DuoModifier.GSO), Purpose() with { Genetic = true });
        RefusedBy(DuoModifier.GSO, With(DuoModifier.GSO), Purpose());
    }

    [Fact]
    public void Nmds_MethodsOnlyWithinDiseaseSpecificResearch()
    {
        Allowed(With(DuoModifier.NMDS), Purpose());
        Allowed(With(DuoModifier.NMDS), Purpose(ResearchCategory.DiseaseSpecific, Cancer) with { MethodsDevelopment = true });
        RefusedBy(DuoModifier.NMDS, With(DuoModifier.NMDS), Purpose() with { MethodsDevelopment = true });
    }

    [Fact]
    public void Npoa_PopulationAncestryResearch_Refused()
    {
        Allowed(With(DuoModifier.NPOA), Purpose(ResearchCategory.General));
        RefusedBy(DuoModifier.NPOA, With(DuoModifier.NPOA), Purpose(ResearchCategory.PopulationOriginsAncestry));
    }

    [Fact]
    public void Rs_NeedsProject()
    {
        Allowed(With(DuoModifier.RS), Purpose() with { Project = "bc-survival" });
        RefusedBy(DuoModifier.RS, With(DuoModifier.RS), Purpose() with { Project = " " });
    }

    [Fact]
    public void Cc_AllowsClinicalCare_WithoutItClinicalCareRefused()
    {
        Allowed(Conditions(DuoPermission.HMB, null, DuoModifier.CC), Purpose(ResearchCategory.ClinicalCare));
        Allowed(Conditions(DuoPermission.HMB, null, DuoModifier.CC), Purpose(ResearchCategory.HealthMedicalBiomedical));
        Allowed(Conditions(DuoPermission.DS, Cancer, DuoModifier.CC), Purpose(ResearchCategory.ClinicalCare, Cancer));
        Assert.False(DataUseMatcher.Check(Conditions(DuoPermission.DS, Cancer, DuoModifier.CC), Purpose(ResearchCategory.ClinicalCare, "MONDO:0005148")).Allowed);

        var decision = DataUseMatcher.Check(Conditions(DuoPermission.HMB), Purpose(ResearchCategory.ClinicalCare));
        var reason = Assert.Single(decision.Reasons);
        Assert.Equal("HMB", reason.Code);
        Assert.Contains("CC (DUO:0000043)", reason.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ncu_Commercial_Refused()
    {
        Allowed(With(DuoModifier.NCU), Purpose());
        RefusedBy(DuoModifier.NCU, With(DuoModifier.NCU), Purpose() with { Commercial = true });
    }

    [Fact]
    public void Npu_ForProfit_Refused()
    {
        Allowed(With(DuoModifier.NPU), Purpose());
        RefusedBy(DuoModifier.NPU, With(DuoModifier.NPU), Purpose() with { ForProfit = true });
    }

    [Fact]
    public void Irb_NeedsEthicsApprovalReference()
    {
        Allowed(With(DuoModifier.IRB), Purpose() with { EthicsApprovalReference = "CPP-2025-041" });
        RefusedBy(DuoModifier.IRB, With(DuoModifier.IRB), Purpose());
    }

    [Fact]
    public void Col_NeedsCollaborationAgreed()
    {
        Allowed(With(DuoModifier.COL), Purpose() with { CollaboratorAgreed = true });
        RefusedBy(DuoModifier.COL, With(DuoModifier.COL), Purpose());
    }

    [Fact]
    public void Pub_NeedsPublicationCommitted()
    {
        Allowed(With(DuoModifier.PUB), Purpose() with { PublicationCommitted = true });
        RefusedBy(DuoModifier.PUB, With(DuoModifier.PUB), Purpose());
    }

    [Fact]
    public void Mor_NoPublicationBeforeDate()
    {
        var conditions = With(DuoModifier.MOR) with { MoratoriumUntil = new DateOnly(2026, 1, 1) };

        Allowed(conditions, Purpose());
        Allowed(conditions, Purpose() with { PublicationPlannedOn = new DateOnly(2026, 1, 1) });
        var reason = RefusedBy(DuoModifier.MOR, conditions, Purpose() with { PublicationPlannedOn = new DateOnly(2025, 12, 31) });
        Assert.Contains("2026-01-01", reason.Text, StringComparison.Ordinal);
        RefusedBy(DuoModifier.MOR, With(DuoModifier.MOR), Purpose());
    }

    [Fact]
    public void Ts_UseOnOrBeforeValidUntil()
    {
        var conditions = With(DuoModifier.TS) with { ValidUntil = Today };

        Allowed(conditions, Purpose());
        var reason = RefusedBy(DuoModifier.TS, conditions, Purpose() with { Date = Today.AddDays(1) });
        Assert.Contains("2025-06-02", reason.Text, StringComparison.Ordinal);
        RefusedBy(DuoModifier.TS, With(DuoModifier.TS), Purpose());
    }

    [Fact]
    public void Gs_ProcessingNationMustBeListed()
    {
        var conditions = With(DuoModifier.GS) with { Nations = [FR, DE] };

        Allowed(conditions, Purpose() with { ProcessingNation = DE });
        var reason = RefusedBy(DuoModifier.GS, conditions, Purpose() with { ProcessingNation = SE });
        Assert.Contains("FR, DE", reason.Text, StringComparison.Ordinal);
        Assert.Contains("SE", reason.Text, StringComparison.Ordinal);
        RefusedBy(DuoModifier.GS, With(DuoModifier.GS), Purpose());
    }

    [Fact]
    public void Is_InstitutionMustBeListed()
    {
        var conditions = With(DuoModifier.IS) with { Institutions = ["inserm"] };

        Allowed(conditions, Purpose() with { Institution = "inserm" });
        RefusedBy(DuoModifier.IS, conditions, Purpose() with { Institution = "karolinska" });
        RefusedBy(DuoModifier.IS, conditions, Purpose());
    }

    [Fact]
    public void Us_UserMustBeListed()
    {
        var conditions = With(DuoModifier.US) with { Users = ["alice"] };

        Allowed(conditions, Purpose());
        RefusedBy(DuoModifier.US, conditions, Purpose() with { User = "bob" });
    }

    [Fact]
    public void Ps_ProjectMustBeListed()
    {
        var conditions = With(DuoModifier.PS) with { Projects = ["bc-survival"] };

        Allowed(conditions, Purpose() with { Project = "bc-survival" });
        RefusedBy(DuoModifier.PS, conditions, Purpose() with { Project = "other" });
        RefusedBy(DuoModifier.PS, conditions, Purpose());
    }

    [Fact]
    public void Rtn_NeedsReturnCommitted()
    {
        Allowed(With(DuoModifier.RTN), Purpose() with { ReturnCommitted = true });
        RefusedBy(DuoModifier.RTN, With(DuoModifier.RTN), Purpose());
    }

    [Fact]
    public void DuoId_EveryModifierAndPermission_HasAnId()
    {
        Assert.All(Enum.GetValues<DuoModifier>(), m => Assert.StartsWith("DUO:", DataUseMatcher.DuoId(m), StringComparison.Ordinal));
        Assert.All(Enum.GetValues<DuoPermission>(), p => Assert.StartsWith("DUO:", DataUseMatcher.DuoId(p), StringComparison.Ordinal));
        Assert.Equal(Enum.GetValues<DuoModifier>().Length, Enum.GetValues<DuoModifier>().Select(DataUseMatcher.DuoId).Distinct().Count());
    }
}
