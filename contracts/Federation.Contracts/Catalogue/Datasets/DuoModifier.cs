namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>GA4GH Data Use Ontology modifiers that narrow a permission.</summary>
public enum DuoModifier
{
    /// <summary>GSO (DUO:0000016): genetic studies only.</summary>
    GSO,

    /// <summary>NMDS (DUO:0000015): no general methods research.</summary>
    NMDS,

    /// <summary>NPOA (DUO:0000044): no population or ancestry research.</summary>
    NPOA,

    /// <summary>RS (DUO:0000012): research-specific restrictions.</summary>
    RS,

    /// <summary>CC (DUO:0000043): clinical care use.</summary>
    CC,

    /// <summary>NCU (DUO:0000046): non-commercial use only.</summary>
    NCU,

    /// <summary>NPU (DUO:0000045): not-for-profit use only.</summary>
    NPU,

    /// <summary>IRB (DUO:0000021): ethics approval required.</summary>
    IRB,

    /// <summary>COL (DUO:0000020): collaboration required.</summary>
    COL,

    /// <summary>PUB (DUO:0000019): publication required.</summary>
    PUB,

    /// <summary>MOR (DUO:0000024): publication moratorium; needs a date.</summary>
    MOR,

    /// <summary>TS (DUO:0000025): time limit on use; needs a date.</summary>
    TS,

    /// <summary>GS (DUO:0000022): geographic restriction; needs nations.</summary>
    GS,

    /// <summary>IS (DUO:0000028): institution-specific; needs institutions.</summary>
    IS,

    /// <summary>US (DUO:0000026): user-specific; needs users.</summary>
    US,

    /// <summary>PS (DUO:0000027): project-specific; needs projects.</summary>
    PS,

    /// <summary>RTN (DUO:0000029): results must be returned to the resource.</summary>
    RTN,
}
