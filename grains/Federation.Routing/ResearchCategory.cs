namespace Federation.Routing;

/// <summary>
/// What a job's research is, as its requester declares it. This is the job side of a DUO
/// permission: NRES is a property of data, not a purpose, so it has no value here. Genetic and
/// methods-development work are flags on <see cref="Purpose"/> rather than categories, because a
/// genetic study of a disease is both disease-specific and genetic.
/// </summary>
public enum ResearchCategory
{
    /// <summary>Research of any kind not narrowed by another category (met by GRU, DUO:0000042).</summary>
    General = 0,

    /// <summary>Health, medical or biomedical research (met by HMB, DUO:0000006, and above).</summary>
    HealthMedicalBiomedical = 1,

    /// <summary>Research on one disease, named by <see cref="Purpose.DiseaseTerm"/> (met by DS, DUO:0000007, and above).</summary>
    DiseaseSpecific = 2,

    /// <summary>Research on population origins or ancestry (met by POA, DUO:0000011, GRU and NRES).</summary>
    PopulationOriginsAncestry = 3,

    /// <summary>Clinical use and care rather than research (met by NRES, or by the CC modifier, DUO:0000043).</summary>
    ClinicalCare = 4,
}
