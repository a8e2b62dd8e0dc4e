using Federation.Contracts.Ids;

namespace Federation.Lifecycle.Jobs;

/// <summary>A nation renews its lease on an epoch.</summary>
/// <param name="From">The sending nation (authenticated by the federation API).</param>
/// <param name="Epoch">The epoch it runs.</param>
public sealed record RenewalReceived(NationCode From, int Epoch) : JobInput;
