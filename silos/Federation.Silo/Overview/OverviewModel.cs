namespace Federation.Silo.Overview;

/// <summary>What the overview page shows, decided from <see cref="OverviewFacts"/> by <see cref="OverviewBuilder"/>.</summary>
/// <param name="Local">This nation's code.</param>
/// <param name="Now">When the facts were read.</param>
/// <param name="Nations">Every nation of the roster, this one first then by code.</param>
/// <param name="JobStates">Jobs per state name, in lifecycle order, states with no job left out.</param>
/// <param name="JobsTotal">Jobs counted.</param>
/// <param name="JobsTruncated">True when not every job was counted.</param>
/// <param name="Flows">Origin to executing nation, by origin then target.</param>
/// <param name="Pending">Jobs waiting for a place, oldest first, at most <see cref="OverviewBuilder.MaxPending"/>.</param>
/// <param name="PendingTotal">All pending jobs counted.</param>
/// <param name="Refusals">Recent refusals, newest first, at most <see cref="OverviewBuilder.MaxRefusals"/>.</param>
/// <param name="Silos">This nation's silos.</param>
/// <param name="FlaggedLogs">Nations whose transparency-log heads are flagged.</param>
public sealed record OverviewModel(
    string Local,
    DateTimeOffset Now,
    IReadOnlyList<NationRow> Nations,
    IReadOnlyList<KeyValuePair<string, int>> JobStates,
    int JobsTotal,
    bool JobsTruncated,
    IReadOnlyList<FlowRow> Flows,
    IReadOnlyList<PendingRow> Pending,
    int PendingTotal,
    IReadOnlyList<RefusalRow> Refusals,
    IReadOnlyList<SiloFact> Silos,
    IReadOnlyList<NationRow> FlaggedLogs);
