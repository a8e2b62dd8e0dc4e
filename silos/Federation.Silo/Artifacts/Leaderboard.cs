using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>The leaderboard of one benchmark dataset: the verified evaluations this nation's log holds, best first.</summary>
/// <param name="Dataset">The benchmark dataset.</param>
/// <param name="Rows">The verified results, ranked.</param>
/// <param name="Unverified">Evaluations left out because their signature does not verify (each problem names it).</param>
public sealed record Leaderboard(DatasetRef Dataset, IReadOnlyList<LeaderboardRow> Rows, IReadOnlyList<string> Unverified);
