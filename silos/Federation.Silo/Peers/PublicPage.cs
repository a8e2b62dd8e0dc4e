namespace Federation.Silo.Peers;

/// <summary>A page of public catalogue entries from one nation.</summary>
public sealed record PublicPage<T>(IReadOnlyList<T> Items, string? NextAfter);
