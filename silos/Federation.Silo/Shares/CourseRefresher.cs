namespace Federation.Silo.Shares;

/// <summary>
/// Reads the courses registered through the API into <see cref="CourseRegistry"/> once the silo has
/// started (its grains can be called only when it has joined its cluster), then every <see cref="CourseRegistry.RefreshEvery"/>.
/// </summary>
public sealed partial class CourseRefresher(CourseRegistry courses, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<CourseRefresher> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await courses.RefreshAsync();
                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage is down, or the silo is leaving its cluster: the last courses read stay.
                if (!failing)
                {
                    LogRefreshFailed(logger, e);
                }

                failing = true;
            }

            try
            {
                await Task.Delay(CourseRegistry.RefreshEvery, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the courses registered through the API; the last ones read stay in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
