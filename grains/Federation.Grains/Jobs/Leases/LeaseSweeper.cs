using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs.Leases;

/// <summary>
/// The sweeps of the lease index. <see cref="SweepAsync"/> claims the entries that are due (each
/// comes back one <see cref="LeaseSettings.Recheck"/> later unless its grain settles it) and wakes
/// their grains, a few at a time; <see cref="WakeAllLiveAsync"/> wakes every live entry, after a
/// silo failed. A wake that fails is counted and logged, and its entry is due again after
/// <see cref="LeaseSettings.WakeRetry"/>.
/// </summary>
/// <param name="index">The nation's lease index.</param>
/// <param name="wake">Wakes the grain of one entry (a cheap call that activates it).</param>
/// <param name="settings">Recheck, retry, page size, parallelism.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">Where failed wakes are reported.</param>
public sealed partial class LeaseSweeper(ILeaseIndex index, Func<LeaseKey, Task> wake, LeaseSettings settings, TimeProvider time, ILogger logger)
{
    /// <summary>Most claims (pages) one sweep takes; the rest waits for the next sweep.</summary>
    public const int MaxPagesPerSweep = 20;

    /// <summary>Claims and wakes what is due now.</summary>
    /// <returns>The entries woken, and those whose wake failed.</returns>
    public async Task<(int Woken, int Failed)> SweepAsync(CancellationToken cancellationToken)
    {
        var (woken, failed) = (0, 0);
        for (var page = 0; page < MaxPagesPerSweep; page++)
        {
            var now = time.GetUtcNow();
            var due = await index.ClaimDueAsync(now, LeaseRule.Next(now, settings), settings.PageSize, cancellationToken);
            var (w, f) = await WakeAsync(due, cancellationToken);
            (woken, failed) = (woken + w, failed + f);
            if (due.Count < settings.PageSize)
            {
                break;
            }
        }

        return (woken, failed);
    }

    /// <summary>
    /// Wakes every entry due within one <see cref="LeaseSettings.Recheck"/> (every live grain's entry;
    /// not the finished jobs', due when their retention ends), page by page in key order, without
    /// claiming them: a grain whose activation was on a failed silo comes back now, a live one
    /// answers at once. Used when a silo failed and when the sweeper starts.
    /// </summary>
    /// <returns>The entries woken, and those whose wake failed.</returns>
    public async Task<(int Woken, int Failed)> WakeAllLiveAsync(CancellationToken cancellationToken)
    {
        var bound = LeaseRule.Next(time.GetUtcNow(), settings);
        var (woken, failed) = (0, 0);
        LeaseKey? after = null;
        while (true)
        {
            var page = await index.ListDueAsync(bound, after, settings.PageSize, cancellationToken);
            var (w, f) = await WakeAsync(page, cancellationToken);
            (woken, failed) = (woken + w, failed + f);
            if (page.Count < settings.PageSize)
            {
                return (woken, failed);
            }

            after = page[^1];
        }
    }

    private async Task<(int Woken, int Failed)> WakeAsync(IReadOnlyList<LeaseKey> keys, CancellationToken cancellationToken)
    {
        var (woken, failed) = (0, 0);
        foreach (var chunk in keys.Chunk(Math.Max(1, settings.Parallelism)))
        {
            var results = await Task.WhenAll(chunk.Select(WakeOneAsync));
            woken += results.Count(ok => ok);
            failed += results.Count(ok => !ok);
        }

        return (woken, failed);
    }

    private async Task<bool> WakeOneAsync(LeaseKey key)
    {
        try
        {
            await wake(key);
            return true;
        }
        catch (Exception e)
        {
            var again = time.GetUtcNow() + settings.WakeRetry;
            LogWakeFailed(logger, key, e.Message, again);
            try
            {
                await index.SetAsync(key, again, CancellationToken.None);
            }
            catch (Exception retry)
            {
                // The index is unreachable too: the entry stays due when its claim said.
                LogRetryNotWritten(logger, key, retry.Message);
            }

            return false;
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Lease index: waking {Entry} failed ({Error}); it is due again at {Again:u}")]
    private static partial void LogWakeFailed(ILogger logger, LeaseKey entry, string error, DateTimeOffset again);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Warning, Message = "Lease index: could not set {Entry} due again after its failed wake ({Error}); it is due at its next recheck")]
    private static partial void LogRetryNotWritten(ILogger logger, LeaseKey entry, string error);
}
