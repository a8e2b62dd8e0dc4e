using Federation.Lifecycle.Shares;
using Federation.Protocol.Usage;

namespace Federation.Silo.Shares;

/// <content>
/// Loading the ledger on first use, and reading again what the nation's other silos recorded: every silo of a nation keeps its
/// own copy in memory, and they agree within <see cref="RefreshEvery"/>.
/// </content>
public sealed partial class ShareLedgerService
{
    private async Task EnsureLoadedAsync()
    {
        if (_loaded)
        {
            await RefreshAsync();
            return;
        }

        await _loading.WaitAsync();
        try
        {
            if (_loaded)
            {
                return;
            }

            var startedAt = time.GetUtcNow();
            var (charges, reports) = await store.LoadAsync();
            lock (_gate)
            {
                _lastRead = startedAt;
                _nextRead = startedAt + RefreshEvery;
                foreach (var charge in charges)
                {
                    Apply(charge);
                }

                foreach (var report in reports)
                {
                    Apply(report);
                }

                Prune(time.GetUtcNow());
            }

            _loaded = true;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>
    /// Reads what the nation's other silos recorded since the last read (at most every <see cref="RefreshEvery"/>), so that every
    /// silo counts the same runs as held and the same usage: charges not yet applied here, releases, and reports newer than the
    /// last applied of their nation. A failed read is logged and tried again at the next.
    /// </summary>
    private async Task RefreshAsync()
    {
        var now = time.GetUtcNow();
        DateTimeOffset since;
        lock (_gate)
        {
            if (now < _nextRead)
            {
                return;
            }

            _nextRead = now + RefreshEvery;
            since = _lastRead - s_refreshOverlap;
        }

        IReadOnlyList<StoredCharge> charges;
        IReadOnlyList<UsageReport> reports;
        try
        {
            (charges, reports) = await store.ChangedSinceAsync(since);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogRefreshFailed(logger, e);
            return;
        }

        lock (_gate)
        {
            _lastRead = now;
            foreach (var charge in charges)
            {
                if (!_applied.ContainsKey(charge.Charge.Key) && charge.Charge.ChargedAt >= since)
                {
                    Apply(charge);
                }
                else if (charge.ReleasedAt is not null)
                {
                    _held.Remove(charge.Charge.Key);
                    Settle(charge.Charge.Key, charge.UsedHours);
                }
            }

            foreach (var report in reports.Where(r => !_reported.TryGetValue(r.Nation, out var known) || r.Sequence > known.Sequence))
            {
                Apply(report);
            }

            foreach (var key in _applied.Where(a => a.Value < since).Select(a => a.Key).ToList())
            {
                _applied.Remove(key);
            }

            Prune(now);
        }
    }

    [LoggerMessage(EventId = 7187, Level = LogLevel.Warning, Message = "Reading what the nation's other silos charged and released failed; trying again in a few seconds")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private void Apply(StoredCharge stored)
    {
        var c = stored.Counted;
        _applied[c.Key] = c.ChargedAt;
        if (stored.ReleasedAt is null)
        {
            _held.Set(c.Key, new HeldEntry(c.Account, stored.User, stored.Course, c.Accelerators, c.EndsBy, stored.Borrowed));
        }

        _ledger = _ledger.Charge(c.Account, c.Hours, c.ChargedAt, settings.HalfLife);
        Recent(c);
    }

    /// <summary>
    /// Settles the charge of <paramref name="key"/> to <paramref name="usedHours"/> when that is less than it counts now: the
    /// difference is taken back from the ledger. Idempotent, so a release seen again (or from another silo) counts once; a charge
    /// no longer kept for reports (ended over <see cref="ReportHorizon"/> ago) stays as it is.
    /// </summary>
    private void Settle(string key, double? usedHours)
    {
        if (usedHours is not { } used || !_recent.TryGetValue(key, out var counted))
        {
            return;
        }

        var settled = counted.Settled(used);
        if (settled.Hours < counted.Hours)
        {
            _ledger = _ledger.Refund(counted.Account, counted.Hours - settled.Hours, counted.ChargedAt, settings.HalfLife);
            _recent[key] = settled;
        }
    }

    private void Apply(UsageReport report)
    {
        var before = _reported.TryGetValue(report.Nation, out var r) ? r.Ledger : UsageLedger.Empty;
        _reported[report.Nation] = (UsageReports.Add(before, report, settings.HalfLife), report.Sequence, report.To);
    }
}
