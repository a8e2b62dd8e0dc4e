using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
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
    public static DataUseDecision Check(DataUseConditions conditions, in Purpose purpose)
    {
        if (Allows(conditions, purpose))
        {
            return DataUseDecision.Allow;
        }

        var modifiers = conditions.Modifiers.IsDefault ? [] : conditions.Modifiers.Distinct().Order().ToImmutableArray();
        var reasons = ImmutableArray.CreateBuilder<DataUseReason>();
        if (PermissionRule(conditions, purpose, modifiers.Contains(DuoModifier.CC)) is var unmet and not Unmet.None)
        {
            reasons.Add(Refuse(conditions.Permission, PermissionText(unmet, conditions, purpose)));
        }

        foreach (var modifier in modifiers)
        {
            if (ModifierRule(modifier, conditions, purpose) is var unmetModifier and not Unmet.None)
            {
                reasons.Add(Refuse(modifier, ModifierText(modifier, unmetModifier, conditions, purpose)));
            }
        }

        return new DataUseDecision(false, reasons.ToImmutable());
    }

    /// <summary>
    /// <see cref="Check"/>'s <see cref="DataUseDecision.Allowed"/> without the reasons: the same rules, and it
    /// allocates nothing, so the router's decision path (<see cref="Router.Decide"/>) can ask it per decision.
    /// </summary>
    public static bool Allows(DataUseConditions conditions, in Purpose purpose)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var modifiers = conditions.Modifiers.IsDefault ? [] : conditions.Modifiers;
        if (PermissionRule(conditions, purpose, modifiers.Contains(DuoModifier.CC)) != Unmet.None)
        {
            return false;
        }

        foreach (var modifier in modifiers)
        {
            if (ModifierRule(modifier, conditions, purpose) != Unmet.None)
            {
                return false;
            }
        }

        return true;
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

    /// <summary>The permission's rule (allocation-free): which part of it the purpose fails, if any.</summary>
    private static Unmet PermissionRule(DataUseConditions conditions, in Purpose purpose, bool clinicalCare)
    {
        var category = purpose.Category;
        if (conditions.Permission == DuoPermission.NRES)
        {
            return Unmet.None;
        }

        if (category == ResearchCategory.ClinicalCare && !clinicalCare)
        {
            return Unmet.ClinicalCare;
        }

        return conditions.Permission switch
        {
            DuoPermission.GRU => Unmet.None,
            DuoPermission.HMB => category is ResearchCategory.HealthMedicalBiomedical or ResearchCategory.DiseaseSpecific or ResearchCategory.ClinicalCare
                ? Unmet.None
                : Unmet.Rule,
            DuoPermission.DS when string.IsNullOrWhiteSpace(conditions.DiseaseTerm) => Unmet.NoParameter,
            DuoPermission.DS when category is not (ResearchCategory.DiseaseSpecific or ResearchCategory.ClinicalCare) => Unmet.Rule,
            DuoPermission.DS => SameTerm(conditions.DiseaseTerm, purpose.DiseaseTerm) ? Unmet.None : Unmet.Value,
            DuoPermission.POA => category is ResearchCategory.PopulationOriginsAncestry or ResearchCategory.ClinicalCare ? Unmet.None : Unmet.Rule,
            _ => Unmet.Unknown,
        };
    }

    private static string PermissionText(Unmet unmet, DataUseConditions conditions, in Purpose purpose) => (unmet, conditions.Permission) switch
    {
        (Unmet.ClinicalCare, _) => "allows research use only, and clinical care needs the CC (DUO:0000043) modifier, which the conditions lack; the purpose is clinical care",
        (Unmet.Rule, DuoPermission.HMB) => $"allows health/medical/biomedical research only; the purpose is {Describe(purpose)}",
        (Unmet.NoParameter, DuoPermission.DS) => "conditions name no disease term, so no purpose can match them",
        (Unmet.Rule, DuoPermission.DS) => $"allows research on {conditions.DiseaseTerm} only; the purpose is {Describe(purpose)}",
        (Unmet.Value, DuoPermission.DS) => $"allows research on {conditions.DiseaseTerm} only (terms are compared exactly; ontology subsumption is not done); the purpose is {Describe(purpose)}",
        (Unmet.Rule, DuoPermission.POA) => $"allows population origins or ancestry research only; the purpose is {Describe(purpose)}",
        _ => "is not a permission this matcher knows, so no purpose can match it",
    };

    /// <summary>A modifier's rule (allocation-free): which part of it the purpose fails, if any.</summary>
    private static Unmet ModifierRule(DuoModifier modifier, DataUseConditions conditions, in Purpose purpose) => modifier switch
    {
        DuoModifier.GSO => Met(purpose.Genetic),
        DuoModifier.NMDS => Met(!purpose.MethodsDevelopment || purpose.Category == ResearchCategory.DiseaseSpecific),
        DuoModifier.NPOA => Met(purpose.Category != ResearchCategory.PopulationOriginsAncestry),
        DuoModifier.RS => Met(!string.IsNullOrWhiteSpace(purpose.Project)),
        DuoModifier.CC => Unmet.None,
        DuoModifier.NCU => Met(!purpose.Commercial),
        DuoModifier.NPU => Met(!purpose.ForProfit),
        DuoModifier.IRB => Met(!string.IsNullOrWhiteSpace(purpose.EthicsApprovalReference)),
        DuoModifier.COL => Met(purpose.CollaboratorAgreed),
        DuoModifier.PUB => Met(purpose.PublicationCommitted),
        DuoModifier.MOR => conditions.MoratoriumUntil is not { } until ? Unmet.NoParameter
            : purpose.PublicationPlannedOn is not { } planned || planned >= until ? Unmet.None : Unmet.Value,
        DuoModifier.TS => conditions.ValidUntil is not { } end ? Unmet.NoParameter
            : purpose.Date <= end ? Unmet.None : Unmet.Value,
        DuoModifier.GS => ListsNation(conditions.Nations, purpose.ProcessingNation.Value),
        DuoModifier.IS => Lists(conditions.Institutions, purpose.Institution),
        DuoModifier.US => Lists(conditions.Users, purpose.User),
        DuoModifier.PS => Lists(conditions.Projects, purpose.Project),
        DuoModifier.RTN => Met(purpose.ReturnCommitted),
        _ => Unmet.Unknown,
    };

    private static string ModifierText(DuoModifier modifier, Unmet unmet, DataUseConditions conditions, in Purpose purpose) => (modifier, unmet) switch
    {
        (DuoModifier.GSO, _) => "allows genetic studies only; the purpose is not a genetic study",
        (DuoModifier.NMDS, _) => $"forbids methods development outside disease-specific research; the purpose develops methods in {Describe(purpose)}",
        (DuoModifier.NPOA, _) => "forbids population origins or ancestry research; the purpose is population origins or ancestry research",
        (DuoModifier.RS, _) => "limits use to specific, approved research; the purpose names no project",
        (DuoModifier.NCU, _) => "allows non-commercial use only; the purpose is commercial",
        (DuoModifier.NPU, _) => "allows not-for-profit use only; the requester is for-profit",
        (DuoModifier.IRB, _) => "requires ethics approval; the purpose gives no approval reference",
        (DuoModifier.COL, _) => "requires collaboration with the data's investigators; the requester has not agreed to it",
        (DuoModifier.PUB, _) => "requires the results to be published; the requester has not committed to it",
        (DuoModifier.MOR, Unmet.NoParameter) => "conditions give no moratorium date, so no purpose can match them",
        (DuoModifier.MOR, _) => $"forbids publication before {Iso(conditions.MoratoriumUntil)}; the purpose plans to publish on {Iso(purpose.PublicationPlannedOn)}",
        (DuoModifier.TS, Unmet.NoParameter) => "conditions give no end date, so no purpose can match them",
        (DuoModifier.TS, _) => $"allows use until {Iso(conditions.ValidUntil)}; the day of use is {Iso(purpose.Date)}",
        (DuoModifier.GS, _) => ListedText(unmet, "use only in", conditions.Nations.IsDefault ? [] : conditions.Nations.Select(n => n.Value).ToImmutableArray(), purpose.ProcessingNation.Value, "the data would be processed in"),
        (DuoModifier.IS, _) => ListedText(unmet, "use only by the institutions", conditions.Institutions, purpose.Institution, "the requester's institution is"),
        (DuoModifier.US, _) => ListedText(unmet, "use only by the users", conditions.Users, purpose.User, "the user is"),
        (DuoModifier.PS, _) => ListedText(unmet, "use only in the projects", conditions.Projects, purpose.Project, "the project is"),
        (DuoModifier.RTN, _) => "requires results to be returned to the resource; the requester has not committed to it",
        _ => "is not a modifier this matcher knows, so no purpose can match it",
    };

    private static Unmet Met(bool met) => met ? Unmet.None : Unmet.Rule;

    /// <summary>Disease terms compared as identifiers: ordinal, ignoring case and surrounding white space.</summary>
    private static bool SameTerm(string? required, string? stated) =>
        required is not null && stated is not null && required.AsSpan().Trim().Equals(stated.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase);

    private static Unmet Lists(ImmutableArray<string> listed, string? value)
    {
        if (listed.IsDefaultOrEmpty)
        {
            return Unmet.NoParameter;
        }

        if (value is not null)
        {
            foreach (var item in listed)
            {
                if (string.Equals(item, value, StringComparison.Ordinal))
                {
                    return Unmet.None;
                }
            }
        }

        return Unmet.Value;
    }

    private static Unmet ListsNation(ImmutableArray<NationCode> listed, string? value)
    {
        if (listed.IsDefaultOrEmpty)
        {
            return Unmet.NoParameter;
        }

        if (value is not null)
        {
            foreach (var item in listed)
            {
                if (string.Equals(item.Value, value, StringComparison.Ordinal))
                {
                    return Unmet.None;
                }
            }
        }

        return Unmet.Value;
    }

    private static string ListedText(Unmet unmet, string allows, ImmutableArray<string> listed, string? value, string actual) =>
        unmet == Unmet.NoParameter
            ? $"allows {allows} listed by the conditions, and they list none"
            : $"allows {allows} {string.Join(", ", listed)}; {actual} {value ?? "not given"}";

    private static string Describe(in Purpose purpose) => purpose.Category switch
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

    private static string Iso(DateOnly? date) => Iso(date.GetValueOrDefault());

    /// <summary>How a purpose fails one term, without the sentence: the rules answer with it, and only <see cref="Check"/> writes the sentence.</summary>
    private enum Unmet : byte
    {
        /// <summary>The term is met.</summary>
        None,

        /// <summary>The purpose is clinical care and the conditions allow research only (no CC).</summary>
        ClinicalCare,

        /// <summary>The term's rule itself: the category it allows, or the attribute it asks for.</summary>
        Rule,

        /// <summary>The conditions lack the parameter the term needs (a disease term, a date, a list): no purpose matches.</summary>
        NoParameter,

        /// <summary>The purpose's value is not the one the parameter allows (another disease, a date out of range, not listed).</summary>
        Value,

        /// <summary>A permission or modifier this matcher does not know.</summary>
        Unknown,
    }
}
