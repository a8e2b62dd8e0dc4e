using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Silo.Drain;

/// <summary>One execution a draining nation still holds or owes reports for.</summary>
/// <param name="Job">The job (its origin in the id).</param>
/// <param name="Epoch">The epoch run here.</param>
/// <param name="State">Its state here.</param>
/// <param name="Live">True while it holds its lease (admitted, not over, not fenced).</param>
/// <param name="OwedReports">Reports to its origin written and not yet acknowledged.</param>
public sealed record DrainedExecution(JobRef Job, int Epoch, JobState State, bool Live, int OwedReports);
