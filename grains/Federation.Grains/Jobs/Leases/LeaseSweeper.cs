using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs.Leases;

/// <summary>
/// One sweep of the lease index: claims the entries that are due (each comes back one
/// <see cref="LeaseSettings.Recheck"/> later unless its grain settles it) and wakes their grains, a
/// few at a time. A wake that fails is counted and logged; its entry comes back at the next recheck.
/// </summary>
/// <param name="index">The nation's lease index.</param>
/// <param name="wake">Wakes the grain of one entry (a cheap call that activates it).</param>
/// <param name="settings">Recheck, page size, parallelism.</param>
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
            foreach (var chunk in due.Chunk(Math.Max(1, settings.Parallelism)))
            {
                var results = await Task.WhenAll(chunk.Select(WakeOneAsync));
                woken += results.Count(ok => ok);
                failed += results.Count(ok => !ok);
            }

            if (due.Count < settings.PageSize)
            {
                break;
            }
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
            LogWakeFailed(logger, key, e.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Lease index: waking {Entry} failed ({Error}); it is due again at the next recheck")]
    private static partial void LogWakeFailed(ILogger logger, LeaseKey entry, string error);
}
