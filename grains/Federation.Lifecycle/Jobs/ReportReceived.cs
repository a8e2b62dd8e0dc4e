using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Jobs;

/// <summary>A nation reports on an epoch it runs (a report in state requeued gives the epoch back).</summary>
/// <param name="From">The sending nation (authenticated by the federation API).</param>
/// <param name="Report">The report.</param>
public sealed record ReportReceived(NationCode From, ExecutionReport Report) : JobInput;
