using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Jobs;

namespace Federation.Routing;

/// <summary>
/// Decides whether a job's <see cref="Purpose"/> meets a dataset's <see cref="DataUseConditions"/>.
/// The full decision table, with the DUO definitions cited, is in <c>DATA-USE.md</c> next to this file.
/// </summary>
/// <remarks>
/// <para>Permissions form a hierarchy: NRES (DUO:0000004) allows everything; GRU (DUO:0000042) any
/// research; HMB (DUO:0000006) health/medical/biomedical and disease-specific research (not general
/// research, not population origins or ancestry); DS (DUO:0000007) research on the same disease
/// term only; POA (DUO:0000011) population origins or ancestry research only. Disease terms are
/// compared as identifiers (ordinal, ignoring case): ontology subsumption is not done, so a dataset
/// for a parent disease does not admit research on a child term.</para>
/// <para>Clinical care is not research: only NRES or the CC modifier (DUO:0000043) allows it, and
/// under DS only for the same disease term.</para>
/// <para>Each modifier adds a requirement: GSO (DUO:0000016) a genetic study; NMDS (DUO:0000015) no
/// methods development outside disease-specific research; NPOA (DUO:0000044) no population/ancestry
/// research; RS (DUO:0000012) a named project; NCU (DUO:0000046) not commercial; NPU
/// (DUO:0000045) not for profit; IRB (DUO:0000021) an ethics approval reference; COL
/// (DUO:0000020) collaboration agreed; PUB (DUO:0000019) publication committed; MOR (DUO:0000024)
/// no publication planned before the moratorium date; TS (DUO:0000025) the day of use on or before
/// ValidUntil; GS (DUO:0000022) the processing nation listed; IS (DUO:0000028) the institution
/// listed; US (DUO:0000026) the user listed; PS (DUO:0000027) the project listed; RTN
/// (DUO:0000029) return of results committed.</para>
/// <para>Conditions that lack a parameter their term needs (DS without a disease term, MOR or TS
/// without a date, GS/IS/US/PS with an empty list) match no purpose: the matcher fails closed.</para>
/// </remarks>
public static class DataUseMatcher
{
    /// <summary>Checks every DUO term of <paramref name="conditions"/> against <paramref name="purpose"/>.</summary>
    /// <returns>Allowed when every term is met; otherwise every unmet term with its reason.</returns>
    public static DataUseDecision Check(DataUseConditions conditions, Purpose purpose)
    {
        var modifiers = conditions.Modifiers.IsDefault ? [] : conditions.Modifiers.Distinct().Order().ToImmutableArray();
        var reasons = ImmutableArray.CreateBuilder<DataUseReason>();

        if (CheckPermission(conditions, purpose, modifiers.Contains(DuoModifier.CC)) is { } permissionReason)
        {
            reasons.Add(permissionReason);
        }

        foreach (var modifier in modifiers)
        {
            if (CheckModifier(modifier, conditions, purpose) is { } reason)
            {
                reasons.Add(reason);
            }
        }

        return reasons.Count == 0 ? DataUseDecision.Allow : new DataUseDecision(false, reasons.ToImmutable());
    }

    /// <summary>
    /// True when the outcome of <see cref="Check"/> for <paramref name="conditions"/> can differ by
    /// <see cref="Purpose.ProcessingNation"/>: only GS (DUO:0000022) reads it.
    /// </summary>
    public static bool DependsOnProcessingNation(DataUseConditions conditions) =>
        !conditions.Modifiers.IsDefault && conditions.Modifiers.Contains(DuoModifier.GS);

    /// <summary>The DUO id of a permission, e.g. <c>DUO:0000006</c> for HMB.</summary>
    public static string DuoId(DuoPermission permission) => permission switch
    {
        DuoPermission.NRES => "DUO:0000004",
        DuoPermission.GRU => "DUO:0000042",
        DuoPermission.HMB => "DUO:0000006",
        DuoPermission.DS => "DUO:0000007",
        DuoPermission.POA => "DUO:0000011",
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "not a DUO permission"),
    };

    /// <summary>The DUO id of a modifier, e.g. <c>DUO:0000046</c> for NCU.</summary>
    public static string DuoId(DuoModifier modifier) => modifier switch
    {
        DuoModifier.GSO => "DUO:0000016",
        DuoModifier.NMDS => "DUO:0000015",
        DuoModifier.NPOA => "DUO:0000044",
        DuoModifier.RS => "DUO:0000012",
        DuoModifier.CC => "DUO:0000043",
        DuoModifier.NCU => "DUO:0000046",
        DuoModifier.NPU => "DUO:0000045",
        DuoModifier.IRB => "DUO:0000021",
        DuoModifier.COL => "DUO:0000020",
        DuoModifier.PUB => "DUO:0000019",
        DuoModifier.MOR => "DUO:0000024",
        DuoModifier.TS => "DUO:0000025",
        DuoModifier.GS => "DUO:0000022",
        DuoModifier.IS => "DUO:0000028",
        DuoModifier.US => "DUO:0000026",
        DuoModifier.PS => "DUO:0000027",
        DuoModifier.RTN => "DUO:0000029",
        _ => throw new ArgumentOutOfRangeException(nameof(modifier), modifier, "not a DUO modifier"),
    };

    private static DataUseReason? CheckPermission(DataUseConditions conditions, Purpose purpose, bool clinicalCare)
    {
        var category = purpose.Category;
        if (conditions.Permission == DuoPermission.NRES)
        {
            return null;
        }

        if (category == ResearchCategory.ClinicalCare && !clinicalCare)
        {
            return Refuse(conditions.Permission, "allows research use only, and clinical care needs the CC (DUO:0000043) modifier, which the conditions lack; the purpose is clinical care");
        }

        switch (conditions.Permission)
        {
            case DuoPermission.GRU:
                return null;

            case DuoPermission.HMB:
                return category is ResearchCategory.HealthMedicalBiomedical or ResearchCategory.DiseaseSpecific or ResearchCategory.ClinicalCare
                    ? null
                    : Refuse(DuoPermission.HMB, $"allows health/medical/biomedical research only; the purpose is {Describe(purpose)}");

            case DuoPermission.DS:
                if (string.IsNullOrWhiteSpace(conditions.DiseaseTerm))
                {
                    return Refuse(DuoPermission.DS, "conditions name no disease term, so no purpose can match them");
                }

                if (category is not (ResearchCategory.DiseaseSpecific or ResearchCategory.ClinicalCare))
                {
                    return Refuse(DuoPermission.DS, $"allows research on {conditions.DiseaseTerm} only; the purpose is {Describe(purpose)}");
                }

                return string.Equals(conditions.DiseaseTerm.Trim(), purpose.DiseaseTerm?.Trim(), StringComparison.OrdinalIgnoreCase)
                    ? null
                    : Refuse(DuoPermission.DS, $"allows research on {conditions.DiseaseTerm} only (terms are compared exactly; ontology subsumption is not done); the purpose is {Describe(purpose)}");

            case DuoPermission.POA:
                return category is ResearchCategory.PopulationOriginsAncestry or ResearchCategory.ClinicalCare
                    ? null
                    : Refuse(DuoPermission.POA, $"allows population origins or ancestry research only; the purpose is {Describe(purpose)}");

            default:
                return Refuse(conditions.Permission, "is not a permission this matcher knows, so no purpose can match it");
        }
    }

    private static DataUseReason? CheckModifier(DuoModifier modifier, DataUseConditions conditions, Purpose purpose) => modifier switch
    {
        DuoModifier.GSO => purpose.Genetic ? null
            : Refuse(modifier, "allows genetic studies only; the purpose is not a genetic study"),
        DuoModifier.NMDS => !purpose.MethodsDevelopment || purpose.Category == ResearchCategory.DiseaseSpecific ? null
            : Refuse(modifier, $"forbids methods development outside disease-specific research; the purpose develops methods in {Describe(purpose)}"),
        DuoModifier.NPOA => purpose.Category != ResearchCategory.PopulationOriginsAncestry ? null
            : Refuse(modifier, "forbids population origins or ancestry research; the purpose is population origins or ancestry research"),
        DuoModifier.RS => !string.IsNullOrWhiteSpace(purpose.Project) ? null
            : Refuse(modifier, "limits use to specific, approved research; the purpose names no project"),
        DuoModifier.CC => null,
        DuoModifier.NCU => !purpose.Commercial ? null
            : Refuse(modifier, "allows non-commercial use only; the purpose is commercial"),
        DuoModifier.NPU => !purpose.ForProfit ? null
            : Refuse(modifier, "allows not-for-profit use only; the requester is for-profit"),
        DuoModifier.IRB => !string.IsNullOrWhiteSpace(purpose.EthicsApprovalReference) ? null
            : Refuse(modifier, "requires ethics approval; the purpose gives no approval reference"),
        DuoModifier.COL => purpose.CollaboratorAgreed ? null
            : Refuse(modifier, "requires collaboration with the data's investigators; the requester has not agreed to it"),
        DuoModifier.PUB => purpose.PublicationCommitted ? null
            : Refuse(modifier, "requires the results to be published; the requester has not committed to it"),
        DuoModifier.MOR => CheckMoratorium(conditions, purpose),
        DuoModifier.TS => CheckTimeLimit(conditions, purpose),
        DuoModifier.GS => CheckListed(modifier, "use only in", conditions.Nations.IsDefault ? [] : conditions.Nations.Select(n => n.Value).ToImmutableArray(), purpose.ProcessingNation.Value, "the data would be processed in"),
        DuoModifier.IS => CheckListed(modifier, "use only by the institutions", conditions.Institutions, purpose.Institution, "the requester's institution is"),
        DuoModifier.US => CheckListed(modifier, "use only by the users", conditions.Users, purpose.User, "the user is"),
        DuoModifier.PS => CheckListed(modifier, "use only in the projects", conditions.Projects, purpose.Project, "the project is"),
        DuoModifier.RTN => purpose.ReturnCommitted ? null
            : Refuse(modifier, "requires results to be returned to the resource; the requester has not committed to it"),
        _ => Refuse(modifier, "is not a modifier this matcher knows, so no purpose can match it"),
    };

    private static DataUseReason? CheckMoratorium(DataUseConditions conditions, Purpose purpose)
    {
        if (conditions.MoratoriumUntil is not { } until)
        {
            return Refuse(DuoModifier.MOR, "conditions give no moratorium date, so no purpose can match them");
        }

        return purpose.PublicationPlannedOn is not { } planned || planned >= until ? null
            : Refuse(DuoModifier.MOR, $"forbids publication before {Iso(until)}; the purpose plans to publish on {Iso(planned)}");
    }

    private static DataUseReason? CheckTimeLimit(DataUseConditions conditions, Purpose purpose)
    {
        if (conditions.ValidUntil is not { } until)
        {
            return Refuse(DuoModifier.TS, "conditions give no end date, so no purpose can match them");
        }

        return purpose.Date <= until ? null
            : Refuse(DuoModifier.TS, $"allows use until {Iso(until)}; the day of use is {Iso(purpose.Date)}");
    }

    private static DataUseReason? CheckListed(DuoModifier modifier, string allows, ImmutableArray<string> listed, string? value, string actual)
    {
        if (listed.IsDefaultOrEmpty)
        {
            return Refuse(modifier, $"allows {allows} listed by the conditions, and they list none");
        }

        if (value is not null && listed.Contains(value, StringComparer.Ordinal))
        {
            return null;
        }

        return Refuse(modifier, $"allows {allows} {string.Join(", ", listed)}; {actual} {value ?? "not given"}");
    }

    private static string Describe(Purpose purpose) => purpose.Category switch
    {
        ResearchCategory.General => "general research",
        ResearchCategory.HealthMedicalBiomedical => "health/medical/biomedical research",
        ResearchCategory.DiseaseSpecific when string.IsNullOrWhiteSpace(purpose.DiseaseTerm) => "disease-specific research that names no disease term",
        ResearchCategory.DiseaseSpecific => $"disease-specific research on {purpose.DiseaseTerm}",
        ResearchCategory.PopulationOriginsAncestry => "population origins or ancestry research",
        ResearchCategory.ClinicalCare when string.IsNullOrWhiteSpace(purpose.DiseaseTerm) => "clinical care",
        ResearchCategory.ClinicalCare => $"clinical care of {purpose.DiseaseTerm}",
        _ => $"of an unknown category ({purpose.Category})",
    };

    private static DataUseReason Refuse(DuoPermission permission, string what) =>
        new(permission.ToString(), DuoId(permission), $"{permission} ({DuoId(permission)}) {what}");

    private static DataUseReason Refuse(DuoModifier modifier, string what) =>
        new(modifier.ToString(), DuoId(modifier), $"{modifier} ({DuoId(modifier)}) {what}");

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
