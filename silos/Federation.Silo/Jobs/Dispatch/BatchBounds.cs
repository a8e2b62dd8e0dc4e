namespace Federation.Silo.Jobs.Dispatch;

/// <summary>When a batch is full or due: at <paramref name="MaxMessages"/> messages, at <paramref name="MaxBytes"/> bytes, or <paramref name="FlushDelay"/> after its first message.</summary>
/// <param name="MaxMessages">Most messages in one batch.</param>
/// <param name="MaxBytes">Most bytes in one batch (a single larger message still makes a batch of its own).</param>
/// <param name="FlushDelay">How long the first message waits for others.</param>
public sealed record BatchBounds(int MaxMessages, long MaxBytes, TimeSpan FlushDelay)
{
    /// <summary>These bounds held also to a receiver's <paramref name="limits"/>.</summary>
    public BatchBounds Within(Federation.Protocol.Wire.BatchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return this with { MaxMessages = Math.Min(MaxMessages, limits.MaxMessages), MaxBytes = Math.Min(MaxBytes, limits.MaxBytes) };
    }
}
