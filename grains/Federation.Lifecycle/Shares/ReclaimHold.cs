namespace Federation.Lifecycle.Shares;

/// <summary>
/// Accelerators on their way back to work within its shares: while a hold is in force nothing is lent
/// (a borrowing job is refused by <see cref="ShareRules.Reclaim"/>), so that what a reclaim frees goes
/// to the owner that asked for it and not to the next borrower, the reclaimed job's requeue included.
/// </summary>
/// <param name="Accelerators">Accelerators being given back.</param>
/// <param name="Until">When the hold ends: the latest return of the runs chosen, plus <see cref="ShareSettings.ReclaimHold"/>.</param>
public sealed record ReclaimHold(int Accelerators, DateTimeOffset Until);
