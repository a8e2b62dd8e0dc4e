using System.Text.Json.Serialization;

namespace Federation.Contracts.Jobs;

/// <summary>
/// What a job's research is, as its requester declares it, written in JSON with the DUO code it
/// corresponds to (<c>GRU</c>, <c>HMB</c>, <c>DS</c>, <c>POA</c>, <c>CC</c>). This is the job side
/// of a DUO permission: NRES is a property of data, not a purpose, so it has no value here.
/// Genetic and methods-development work are flags on <see cref="JobPurpose"/> rather than
/// categories, because a genetic study of a disease is both disease-specific and genetic.
/// </summary>
public enum ResearchCategory
{
    /// <summary>Research of any kind not narrowed by another category (met by GRU, DUO:0000042).</summary>
    [JsonStringEnumMemberName("GRU")]
    General = 0,

    /// <summary>Health, medical or biomedical research (met by HMB, DUO:0000006, and above).</summary>
    [JsonStringEnumMemberName("HMB")]
    HealthMedicalBiomedical = 1,

    /// <summary>Research on one disease, named by <see cref="JobPurpose.DiseaseTerm"/> (met by DS, DUO:0000007, and above).</summary>
    [JsonStringEnumMemberName("DS")]
    DiseaseSpecific = 2,

    /// <summary>Research on population origins or ancestry (met by POA, DUO:0000011, GRU and NRES).</summary>
    [JsonStringEnumMemberName("POA")]
    PopulationOriginsAncestry = 3,

    /// <summary>Clinical use and care rather than research (met by NRES, or by the CC modifier, DUO:0000043).</summary>
    [JsonStringEnumMemberName("CC")]
    ClinicalCare = 4,
}
