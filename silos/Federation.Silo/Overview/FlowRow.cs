namespace Federation.Silo.Overview;

/// <summary>Jobs that went from an origin nation to an executing nation, counted by state.</summary>
/// <param name="Origin">Where the jobs were submitted.</param>
/// <param name="Target">Where they were placed.</param>
/// <param name="Counts">Jobs per state name (in <see cref="OverviewBuilder.FlowStates"/> order; absent means 0).</param>
public sealed record FlowRow(string Origin, string Target, IReadOnlyDictionary<string, int> Counts);
