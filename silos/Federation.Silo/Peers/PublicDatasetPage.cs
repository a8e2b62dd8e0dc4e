namespace Federation.Silo.Peers;

/// <summary>A page of public datasets from one nation.</summary>
public sealed record PublicDatasetPage(IReadOnlyList<PublicDataset> Items, string? NextAfter);
