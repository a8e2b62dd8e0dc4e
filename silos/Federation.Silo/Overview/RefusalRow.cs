namespace Federation.Silo.Overview;

/// <summary>A refusal recorded in this nation's transparency log.</summary>
/// <param name="Time">When.</param>
/// <param name="Job">The job, if any.</param>
/// <param name="Peer">The peer involved, if any.</param>
/// <param name="Rule">The rule that refused.</param>
/// <param name="Detail">The entry's other facts, <c>key=value</c>, separated by semicolons.</param>
public sealed record RefusalRow(DateTimeOffset Time, string? Job, string? Peer, string Rule, string Detail);
