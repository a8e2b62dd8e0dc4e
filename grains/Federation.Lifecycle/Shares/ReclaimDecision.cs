using System.Collections.Immutable;

namespace Federation.Lifecycle.Shares;

/// <summary>What an owner's demand reclaims: the steps (<see cref="Reclaim.Plan"/>), the hold that keeps the freed accelerators for owners, and why.</summary>
/// <param name="Needed">Accelerators the demand lacks (wanted, less what is free and what is already coming back).</param>
/// <param name="Steps">The borrowed runs that give accelerators back, and how.</param>
/// <param name="Hold">Nothing is lent until this hold ends.</param>
/// <param name="Reason">The sentence each reclaimed run's give-back carries (it starts with <c>reclaimed</c>).</param>
public sealed record ReclaimDecision(int Needed, ImmutableArray<ReclaimStep> Steps, ReclaimHold Hold, string Reason)
{
    /// <summary>Accelerators the steps give back.</summary>
    public int Freed => Steps.Sum(s => s.Run.Accelerators);

    /// <summary>When every reclaimed accelerator is back at the latest: the bound the policy states.</summary>
    public DateTimeOffset BackBy => Steps.Max(s => s.ReturnBy);
}
