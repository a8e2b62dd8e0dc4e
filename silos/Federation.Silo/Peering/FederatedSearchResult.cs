namespace Federation.Silo.Peering;

/// <summary>Entries across the federation: what each reachable nation returned, and which nations are missing.</summary>
/// <param name="Items">Entries, each naming its nation.</param>
/// <param name="Nations">Every nation asked and how it answered.</param>
/// <param name="Partial">True when a nation is missing.</param>
/// <param name="Missing">Codes of the nations that did not answer.</param>
public sealed record FederatedSearchResult<T>(
    IReadOnlyList<T> Items,
    IReadOnlyList<NationAnswer> Nations,
    bool Partial,
    IReadOnlyList<string> Missing);
