namespace Federation.Grains.Catalogue.Index;

/// <summary>A page of results and the cursor of the next page (null on the last).</summary>
public sealed record CataloguePage<T>(IReadOnlyList<T> Items, string? NextAfter);
