namespace Federation.Silo.Peering;

/// <summary>How one nation answered a federated search.</summary>
/// <param name="Nation">Nation code.</param>
/// <param name="Answered">Whether it answered.</param>
/// <param name="Count">Entries it returned.</param>
/// <param name="Reason">Why it is missing, when it is.</param>
public sealed record NationAnswer(string Nation, bool Answered, int Count, string? Reason);
