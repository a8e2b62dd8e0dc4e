using Federation.Contracts.Grains;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs.Leases;

/// <summary>
/// The nation's sweeper of its lease index (one activation, key <see cref="ILeaseSweeperGrain.Key"/>):
/// a grain timer sweeps every <see cref="LeaseSettings.SweepEvery"/> (see <see cref="LeaseSweeper"/>),
/// and one reminder, the nation's only reminder for jobs, re-activates it wherever it can run after
/// its silo died. Jobs and executions keep no reminder of their own: a job costs no reminder row.
/// </summary>
/// <remarks>
/// Its first tick after activation, and the first after <see cref="WakeAllLiveAsync"/>, wakes every
/// live entry: the sweeper (re)starts when its nation or its silo restarted, and the silos ask when
/// they see one of theirs fail, so a lost activation comes back without waiting for its recheck.
/// </remarks>
[GrainType("lease-sweeper")]
public sealed partial class LeaseSweeperGrain(ILeaseIndex index, LeaseSettings settings, TimeProvider time, ILogger<LeaseSweeperGrain> logger)
    : Grain, ILeaseSweeperGrain, IRemindable
{
    /// <summary>The name of the sweeper's reminder.</summary>
    public const string ReminderName = "lease-sweep";

    private static readonly TimeSpan s_reminderPeriod = TimeSpan.FromMinutes(1);

    private LeaseSweeper _sweeper = null!;
    private bool _wakeAllWanted = true;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _sweeper = new LeaseSweeper(index, WakeAsync, settings, time, logger);
        _ = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions { DueTime = settings.SweepEvery, Period = settings.SweepEvery, KeepAlive = true });
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task StartAsync()
    {
        // One reminder row per nation, written once: silos starting later find it.
        if (await this.GetReminder(ReminderName) is null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, s_reminderPeriod, s_reminderPeriod);
            LogReminderRegistered(logger, ReminderName);
        }
    }

    /// <inheritdoc />
    public async Task<int> SweepAsync() => (await _sweeper.SweepAsync(CancellationToken.None)).Woken;

    /// <inheritdoc />
    public Task WakeAllLiveAsync()
    {
        _wakeAllWanted = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        // Activation started the timer; the reminder only brings the activation back.
        Task.CompletedTask;

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_wakeAllWanted)
            {
                // Cleared first: a request that comes during this sweep makes another one; wanted
                // again when the sweep could not read the index.
                _wakeAllWanted = false;
                try
                {
                    var (all, allFailed) = await _sweeper.WakeAllLiveAsync(cancellationToken);
                    LogWokeAll(logger, all, allFailed);
                }
                catch
                {
                    _wakeAllWanted = true;
                    throw;
                }
            }

            var (woken, failed) = await _sweeper.SweepAsync(cancellationToken);
            if (woken + failed > 0)
            {
                LogSwept(logger, woken, failed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The index is unreachable (PostgreSQL restarting, say): the next tick tries again.
            LogSweepFailed(logger, e.Message);
        }
    }

    private Task WakeAsync(LeaseKey key) => key.Kind switch
    {
        LeaseKind.Job => GrainFactory.GetGrain<IJobGrain>("job-" + key.Key).WakeAsync(),
        LeaseKind.Execution => GrainFactory.GetGrain<IExecutionGrain>(key.Key).WakeAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a LeaseKind"),
    };

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Lease index: registered the nation's sweeper reminder {Reminder}")]
    private static partial void LogReminderRegistered(ILogger logger, string reminder);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Debug, Message = "Lease index: woke {Woken} grains whose entries were due ({Failed} wakes failed)")]
    private static partial void LogSwept(ILogger logger, int woken, int failed);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Lease index: sweep failed ({Error}); the next one tries again")]
    private static partial void LogSweepFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 3208, Level = LogLevel.Information, Message = "Lease index: woke all {Woken} live grains after the sweeper started or a silo failed ({Failed} wakes failed)")]
    private static partial void LogWokeAll(ILogger logger, int woken, int failed);
}
