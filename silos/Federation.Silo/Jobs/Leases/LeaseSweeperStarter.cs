using Federation.Contracts.Grains;
using Federation.Silo.Hosting;

namespace Federation.Silo.Jobs.Leases;

/// <summary>
/// Once the silo is ready, makes sure the nation's lease sweeper runs and has its one reminder
/// (<see cref="ILeaseSweeperGrain.StartAsync"/>, idempotent: every silo asks, the first one writes
/// the row), trying again while the database is unreachable. From then on it also watches the
/// cluster's membership: when another silo of the nation is declared dead, it asks the sweeper to
/// wake every live entry (<see cref="ILeaseSweeperGrain.WakeAllLiveAsync"/>), so that the jobs and
/// executions that were active there come back at the sweeper's next tick, not at their recheck.
/// The watch starts with the silo ready, whether or not the sweeper could be started yet, and
/// subscribes again when the membership service fails it.
/// </summary>
public sealed partial class LeaseSweeperStarter(
    IGrainFactory grains,
    StartupState startup,
    IHostApplicationLifetime lifetime,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<LeaseSweeperStarter> logger) : BackgroundService
{
    private static readonly TimeSpan s_readyCheck = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(5);

    /// <summary>How many times a request to wake every live entry is tried.</summary>
    private const int WakeAllAttempts = 5;

    /// <summary>
    /// The silos, other than <paramref name="self"/>, that <paramref name="current"/> declares dead and
    /// <paramref name="previous"/> did not (absent or in another status). None for the first snapshot:
    /// the dead silos of earlier runs stay in the membership table, and the sweeper's start wakes
    /// every live entry anyway.
    /// </summary>
    public static IReadOnlyList<SiloAddress> NewlyDead(ClusterMembershipSnapshot? previous, ClusterMembershipSnapshot current, SiloAddress self)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is null)
        {
            return [];
        }

        return [.. current.Members.Values
            .Where(m => m.Status == SiloStatus.Dead && !m.SiloAddress.Equals(self) && previous.GetSiloStatus(m.SiloAddress) != SiloStatus.Dead)
            .Select(m => m.SiloAddress)];
    }

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

        await Task.WhenAll(StartSweeperAsync(stoppingToken), WatchAsync(stoppingToken));
    }

    private async Task StartSweeperAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await Sweeper.StartAsync();
                LogStarted(logger);
                return;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // the silo stops
            }
            catch (Exception e)
            {
                LogStartFailed(logger, e.Message, s_retry.TotalSeconds);
                await Task.Delay(s_retry, time, stoppingToken);
            }
        }
    }

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        ClusterMembershipSnapshot? previous = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
                {
                    var dead = NewlyDead(previous, snapshot, silo.SiloAddress);
                    previous = snapshot;
                    if (dead.Count > 0)
                    {
                        await AskToWakeAllAsync(dead, stoppingToken);
                    }
                }

                return; // the updates end when the silo stops
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // the silo stops: whatever failed on the way down
            }
            catch (Exception e)
            {
                // Subscribed again from the last snapshot seen: a silo that died meanwhile is still newly dead then.
                LogWatchFailed(logger, e.Message, s_retry.TotalSeconds);
                await Task.Delay(s_retry, time, stoppingToken);
            }
        }
    }

    private async Task AskToWakeAllAsync(IReadOnlyList<SiloAddress> dead, CancellationToken stoppingToken)
    {
        var silos = string.Join(", ", dead);
        for (var attempt = 1; attempt <= WakeAllAttempts; attempt++)
        {
            try
            {
                await Sweeper.WakeAllLiveAsync();
                LogAskedToWakeAll(logger, silos);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The sweeper may have been on the dead silo: its reminder brings it back, and its start wakes every entry.
                LogWakeAllFailed(logger, silos, e.Message, attempt, WakeAllAttempts);
                await Task.Delay(s_retry, time, stoppingToken);
            }
        }
    }

    private ILeaseSweeperGrain Sweeper => grains.GetGrain<ILeaseSweeperGrain>(ILeaseSweeperGrain.Key);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "Lease index: the nation's sweeper is running")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Warning, Message = "Lease index: could not start the nation's sweeper ({Error}); trying again in {Seconds} s")]
    private static partial void LogStartFailed(ILogger logger, string error, double seconds);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Warning, Message = "Lease index: watching the cluster's membership failed ({Error}); watching again in {Seconds} s")]
    private static partial void LogWatchFailed(ILogger logger, string error, double seconds);

    [LoggerMessage(EventId = 3209, Level = LogLevel.Information, Message = "Lease index: silo {Silos} declared dead; the sweeper wakes every live job and execution at its next tick")]
    private static partial void LogAskedToWakeAll(ILogger logger, string silos);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Warning, Message = "Lease index: silo {Silos} declared dead, but the sweeper could not be asked to wake every live entry ({Error}; attempt {Attempt} of {Attempts})")]
    private static partial void LogWakeAllFailed(ILogger logger, string silos, string error, int attempt, int attempts);
}
