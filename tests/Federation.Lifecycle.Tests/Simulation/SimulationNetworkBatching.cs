namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The batched federation transport as the simulated network models it: the messages one nation sends
/// to another within <see cref="Window"/> of the first (up to <see cref="MaxMessages"/>) travel as one
/// request. The batch is lost, duplicated, delayed and overtaken as a whole, as one request is; each
/// entry may in addition be lost alone (<see cref="SimulationNetworkFaults.EntryLoss"/>: its own problem
/// answer) and arrive out of order with the batch's other entries (the receiver delivers different
/// jobs at once). The answers travel back the same way.
/// </summary>
public sealed record SimulationNetworkBatching
{
    /// <summary>How long a batch's first message waits for others (the courier's flush delay).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Most messages in one batch.</summary>
    public int MaxMessages { get; init; } = 16;
}
