using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs.Leases;

/// <summary>
/// The sweeps of the lease index. <see cref="SweepAsync"/> claims the entries that are due (each
/// comes back one <see cref="LeaseSettings.Recheck"/> later unless its grain settles it) and wakes
/// their grains, a few at a time; <see cref="WakeAllLiveAsync"/> wakes every live entry, after a
/// silo failed. A wake that fails is counted and logged, and tried again by the first sweep after
/// <see cref="LeaseSettings.WakeRetry"/>: from memory, since what made it fail (the database
/// unreachable while the grain activates) would refuse a write too. Its entry stays due when its
/// claim made it, the backstop should the sweeper itself be lost.
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

    /// <summary>Most failed wakes kept to be tried again; past that, they wait for their entries' recheck.</summary>
    public const int MaxRetries = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<LeaseKey, DateTimeOffset> _retries = [];

    /// <summary>Failed wakes waiting to be tried again.</summary>
    public int Retries
    {
        get
        {
            lock (_gate)
            {
                return _retries.Count;
            }
        }
    }

    /// <summary>Tries again the failed wakes whose retry is due, then claims and wakes what is due now.</summary>
    /// <returns>The entries woken, and those whose wake failed.</returns>
    public async Task<(int Woken, int Failed)> SweepAsync(CancellationToken cancellationToken)
    {
        var (woken, failed) = await WakeAsync(TakeDueRetries(time.GetUtcNow()), cancellationToken);
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
    /// Wakes every entry due within two <see cref="LeaseSettings.Recheck"/>s (every live grain's entry;
    /// not the finished jobs', due when their retention ends), page by page in key order, without
    /// claiming them: a grain whose activation was on a failed silo comes back now, a live one
    /// answers at once. Used when a silo failed and when the sweeper starts.
    /// </summary>
    /// <returns>The entries woken, and those whose wake failed.</returns>
    public async Task<(int Woken, int Failed)> WakeAllLiveAsync(CancellationToken cancellationToken)
    {
        // Twice the recheck: an entry written by a silo whose clock is ahead, or before the recheck
        // was shortened, is woken too; waking an entry that turns out not to be live is harmless.
        var bound = time.GetUtcNow() + (2 * settings.Recheck);
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

    private List<LeaseKey> TakeDueRetries(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = _retries.Where(r => r.Value <= now).Select(r => r.Key).ToList();
            due.ForEach(key => _retries.Remove(key));
            return due;
        }
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
            bool kept;
            lock (_gate)
            {
                kept = _retries.Count < MaxRetries || _retries.ContainsKey(key);
                if (kept)
                {
                    _retries[key] = again;
                }
            }

            LogWakeFailed(logger, key, e.Message, kept ? $"it is tried again at {again:u}" : "too many are waiting to be tried again; it is due at its entry's recheck");
            return false;
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Lease index: waking {Entry} failed ({Error}); {Next}")]
    private static partial void LogWakeFailed(ILogger logger, LeaseKey entry, string error, string next);
}
