namespace Federation.Silo.Jobs.Batch;

/// <summary>The answer for one entry of a batch, at the entry's position.</summary>
/// <param name="Index">The entry's position in the request, from 0.</param>
/// <param name="Id">The job id the entry names (absent when it names none).</param>
/// <param name="Outcome">
/// <c>created</c> (stored by this call, in a committed transaction), <c>existing</c> (the same spec
/// was stored before: nothing changed), <c>conflict</c> (another spec is stored under this id),
/// <c>invalid</c> (breaks a rule: nothing stored) or <c>failed</c> (could not be stored now, e.g.
/// PostgreSQL unreachable: not acknowledged; sending it again is safe).
/// </param>
/// <param name="State">The job's state after the call (for created, existing and conflict).</param>
/// <param name="Version">The job's version (its ETag) after the call.</param>
/// <param name="Problem">For invalid, conflict and failed: what is wrong.</param>
public sealed record JobBatchEntry(int Index, string? Id, string Outcome, string? State = null, int? Version = null, JobBatchProblem? Problem = null);
