namespace Federation.Silo.Jobs.Dispatch;

/// <summary>When a batch is full or due: at <paramref name="MaxMessages"/> messages, at <paramref name="MaxBytes"/> bytes, or <paramref name="FlushDelay"/> after its first message.</summary>
/// <param name="MaxMessages">Most messages in one batch.</param>
/// <param name="MaxBytes">Most bytes in one batch (a single larger message still makes a batch of its own).</param>
/// <param name="FlushDelay">How long the first message waits for others.</param>
public sealed record BatchBounds(int MaxMessages, long MaxBytes, TimeSpan FlushDelay)
{
    /// <summary>
    /// A message to an idle peer (no batch of this coalescer on its way: see
    /// <see cref="MessageCoalescer{T}.Ended"/>) leaves at once instead of waiting <see cref="FlushDelay"/>;
    /// messages that come while a batch is on its way gather into the next one, which leaves when that
    /// batch ended, when it is full, or <see cref="FlushDelay"/> after its first message. So a lone
    /// message waits for no timer, and batches still form under load.
    /// </summary>
    public bool SendWhenIdle { get; init; }

    /// <summary>These bounds held also to a receiver's <paramref name="limits"/>.</summary>
    public BatchBounds Within(Federation.Protocol.Wire.BatchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return this with { MaxMessages = Math.Min(MaxMessages, limits.MaxMessages), MaxBytes = Math.Min(MaxBytes, limits.MaxBytes) };
    }
}
