namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>GA4GH Data Use Ontology permissions (the primary data-use category).</summary>
public enum DuoPermission
{
    /// <summary>NRES (DUO:0000004): no restriction.</summary>
    NRES = 0,

    /// <summary>GRU (DUO:0000042): general research use.</summary>
    GRU = 1,

    /// <summary>HMB (DUO:0000006): health, medical or biomedical research.</summary>
    HMB = 2,

    /// <summary>DS (DUO:0000007): disease-specific research; needs a disease term.</summary>
    DS = 3,

    /// <summary>POA (DUO:0000011): population origins or ancestry research only.</summary>
    POA = 4,
}
