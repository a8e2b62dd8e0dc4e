using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs.Leases;

/// <summary>
/// A grain's own entry in the nation's lease index, as the grain keeps it: written when it starts to
/// need waking, removed as soon as it no longer does (<see cref="SettleAsync"/>), and, when its
/// activation ends while it still needs waking, set for when its timer would have fired
/// (<see cref="LeaveMemoryAsync"/>, by <see cref="LeaseRule.OnDeactivation"/>): an idle grain leaves
/// memory and the sweeper brings it back when it has work.
/// </summary>
/// <param name="index">The nation's lease index.</param>
/// <param name="key">The grain's entry.</param>
/// <param name="needsWake">Whether the grain needs its timer, so an entry, now.</param>
/// <param name="settings">The index's timing.</param>
/// <param name="time">The grain's clock.</param>
/// <param name="logger">Where failed best-effort writes are reported.</param>
public sealed partial class GrainLeaseEntry(ILeaseIndex index, LeaseKey key, Func<bool> needsWake, LeaseSettings settings, TimeProvider time, ILogger logger)
{
    private bool _held;

    /// <summary>Whether the grain needs waking now.</summary>
    public bool NeedsWake => needsWake();

    /// <summary>Writes the entry due at the next recheck; completes when the write committed.</summary>
    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        await index.SetAsync(key, LeaseRule.Next(time.GetUtcNow(), settings), cancellationToken);
        _held = true;
    }

    /// <summary>Removes the entry, whether or not this activation wrote it (the sweeper woke a grain that needs none).</summary>
    public async Task RemoveAsync()
    {
        await index.RemoveAsync(key, CancellationToken.None);
        _held = false;
    }

    /// <summary>
    /// Brings the entry in line with the grain after a step: removed once the grain no longer needs
    /// waking (at once, not when the sweeper next claims it), written when it needs waking and this
    /// activation holds none (its write with the step failed, say). Best effort: when the write
    /// fails, the next step tries again, or the sweeper's wake settles it.
    /// </summary>
    public async Task SettleAsync()
    {
        var needed = NeedsWake;
        if (_held == needed)
        {
            return;
        }

        try
        {
            if (needed)
            {
                await HoldAsync(CancellationToken.None);
            }
            else
            {
                await RemoveAsync();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotWritten(logger, key, needed ? "written" : "removed", e.Message);
        }
    }

    /// <summary>
    /// The activation ends for <paramref name="reason"/>, its timer armed for <paramref name="firesAt"/>:
    /// sets the entry as <see cref="LeaseRule.OnDeactivation"/> says. Best effort: when the write
    /// fails, the entry keeps its recheck.
    /// </summary>
    public async Task LeaveMemoryAsync(DeactivationReason reason, DateTimeOffset? firesAt, CancellationToken cancellationToken)
    {
        if (LeaseRule.OnDeactivation(NeedsWake, reason.ReasonCode, firesAt, time.GetUtcNow(), settings) is not { } due)
        {
            return;
        }

        try
        {
            await index.SetAsync(key, due, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotWritten(logger, key, $"set due at {due:u} as its activation ended", e.Message);
        }
    }

    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "Lease index: the entry {Entry} could not be {What} ({Error}); the grain's next step or the sweeper's next claim settles it")]
    private static partial void LogNotWritten(ILogger logger, LeaseKey entry, string what, string error);
}
