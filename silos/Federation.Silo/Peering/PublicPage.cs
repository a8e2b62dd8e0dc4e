namespace Federation.Silo.Peering;

/// <summary>A page of public catalogue entries from one nation.</summary>
public sealed record PublicPage<T>(IReadOnlyList<T> Items, string? NextAfter);
