namespace Federation.Lifecycle.Shares;

/// <summary>What the share rules say of an offered job: admitted (perhaps on borrowed, reclaimable accelerators), or refused by a named rule.</summary>
/// <param name="Rule">The rule that refused it (<see cref="ShareRules"/>); null when admitted.</param>
/// <param name="Reason">A sentence naming the figures.</param>
/// <param name="Borrowed">True when admitted only because accelerators are idle now: the run may be reclaimed.</param>
public sealed record ShareVerdict(string? Rule, string Reason, bool Borrowed = false)
{
    /// <summary>True when admitted.</summary>
    public bool Admitted => Rule is null;
}
