using Federation.Contracts.Grains;
using Federation.Silo.Hosting;

namespace Federation.Silo.Jobs.Leases;

/// <summary>
/// Once the silo is ready, makes sure the nation's lease sweeper runs and has its one reminder
/// (<see cref="ILeaseSweeperGrain.StartAsync"/>, idempotent: every silo asks, the first one writes
/// the row). Tries again while the database is unreachable.
/// </summary>
public sealed partial class LeaseSweeperStarter(
    IGrainFactory grains,
    StartupState startup,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<LeaseSweeperStarter> logger) : BackgroundService
{
    private static readonly TimeSpan s_readyCheck = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        while (!startup.IsReady)
        {
            await Task.Delay(s_readyCheck, time, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<ILeaseSweeperGrain>(ILeaseSweeperGrain.Key).StartAsync();
                LogStarted(logger);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStartFailed(logger, e.Message, s_retry.TotalSeconds);
                await Task.Delay(s_retry, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "Lease index: the nation's sweeper is running")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Warning, Message = "Lease index: could not start the nation's sweeper ({Error}); trying again in {Seconds} s")]
    private static partial void LogStartFailed(ILogger logger, string error, double seconds);
}
