namespace Federation.Lifecycle.Shares;

/// <summary>A run holding accelerators here, as reclaim sees it.</summary>
/// <param name="Holder">The execution's key.</param>
/// <param name="Nation">The job's origin nation.</param>
/// <param name="Accelerators">Accelerators it holds.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndsBy">When its walltime runs out.</param>
/// <param name="Borrowed">True when it was admitted on borrowed, idle accelerators.</param>
public sealed record HeldRun(string Holder, string Nation, int Accelerators, DateTimeOffset StartedAt, DateTimeOffset EndsBy, bool Borrowed);
