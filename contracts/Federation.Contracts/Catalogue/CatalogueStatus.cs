namespace Federation.Contracts.Catalogue;

/// <summary>Life of a catalogue entry.</summary>
public enum CatalogueStatus
{
    /// <summary>Registered and usable.</summary>
    Active = 0,

    /// <summary>No longer offered for new work, still resolvable for lineage.</summary>
    Withdrawn = 1,

    /// <summary>Deleted: kept only as a tombstone so that versions keep rising.</summary>
    Deleted = 2,
}
