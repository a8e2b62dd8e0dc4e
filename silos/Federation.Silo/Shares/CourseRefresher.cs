namespace Federation.Silo.Shares;

/// <summary>Reads the courses registered through the API into <see cref="CourseRegistry"/> on start and every <see cref="CourseRegistry.RefreshEvery"/>.</summary>
public sealed partial class CourseRefresher(CourseRegistry courses, TimeProvider time, ILogger<CourseRefresher> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
                // The silo may not have joined its cluster yet, or storage is down: the last courses read stay.
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
