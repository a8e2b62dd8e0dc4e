namespace Federation.Grains.Execution;

/// <summary>A foreign offer about to be decided, as the capacity ledger counts it against the foreign share.</summary>
/// <param name="Holder">The execution's key.</param>
/// <param name="Count">Accelerators it wants.</param>
/// <param name="MaxShare">The nation's <c>MaxForeignShare</c>.</param>
public sealed record ForeignClaim(string Holder, int Count, double MaxShare);
