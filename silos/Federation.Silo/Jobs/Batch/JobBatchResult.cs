using System.Collections.Immutable;

namespace Federation.Silo.Jobs.Batch;

/// <summary>The answer of <c>POST /api/v1/jobs:batch</c>: one entry per job spec, in the request's order, and the count of each outcome.</summary>
/// <param name="Jobs">One entry per job spec sent, in order.</param>
/// <param name="Created">Entries stored by this call.</param>
/// <param name="Existing">Entries stored before with the same spec.</param>
/// <param name="Conflict">Entries whose id holds another spec.</param>
/// <param name="Invalid">Entries that break a rule.</param>
/// <param name="Failed">Entries not stored now (transient failure).</param>
public sealed record JobBatchResult(ImmutableArray<JobBatchEntry> Jobs, int Created, int Existing, int Conflict, int Invalid, int Failed);
