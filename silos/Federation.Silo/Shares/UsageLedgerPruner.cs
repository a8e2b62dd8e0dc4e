using Federation.Lifecycle.Shares;

namespace Federation.Silo.Shares;

/// <summary>
/// Deletes the usage ledger's rows that no longer matter (<see cref="LedgerPruning"/>: charges and reports older than
/// 10 half-lives, charges of runs that ended before <see cref="ShareLedgerService.ReportHorizon"/>, never a nation's
/// latest report) when the silo starts and every <see cref="Interval"/>, and logs how many (at Information when any). A failed round is logged
/// and tried again at the next.
/// </summary>
public sealed partial class UsageLedgerPruner(ShareLedgerService ledger, TimeProvider time, ILogger<UsageLedgerPruner> logger) : BackgroundService
{
    /// <summary>How often old rows are pruned after the round at start.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    var (charges, reports) = await ledger.PruneStoredAsync(stoppingToken);
                    if (charges + reports > 0)
                    {
                        LogPruned(logger, charges, reports, LedgerPruning.HalfLives);
                    }
                    else
                    {
                        LogNothingToPrune(logger);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 7184, Level = LogLevel.Information, Message = "Usage ledger pruned: {Charges} charges and {Reports} reports older than {HalfLives} half-lives deleted")]
    private static partial void LogPruned(ILogger logger, int charges, int reports, int halfLives);

    [LoggerMessage(EventId = 7186, Level = LogLevel.Debug, Message = "Usage ledger pruned: nothing old enough to delete")]
    private static partial void LogNothingToPrune(ILogger logger);

    [LoggerMessage(EventId = 7185, Level = LogLevel.Warning, Message = "Pruning the usage ledger failed; trying again at the next round")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
