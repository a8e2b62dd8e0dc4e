namespace Federation.Silo.Jobs.Batch;

/// <summary>Why one entry of a batch was not stored: the first field and rule, and every field's rules.</summary>
/// <param name="Field">The first field that breaks a rule (a JSON path inside the entry, e.g. <c>walltimeMinutes</c>).</param>
/// <param name="Reason">The rule it breaks, or what went wrong.</param>
/// <param name="Errors">Every field with its rules, as in a 400 of <c>POST /api/v1/jobs</c>.</param>
public sealed record JobBatchProblem(string Field, string Reason, IReadOnlyDictionary<string, string[]>? Errors = null);
