using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Federation.Grains.Jobs;

/// <summary>
/// Where one job's time goes between submission and admission: a Debug line per hop (category
/// <see cref="Category"/>) with the job, the stage and a monotonic timestamp
/// (<see cref="Stopwatch.GetTimestamp"/>, the same clock in every process of one host), which the
/// throughput benchmark reads back from the silos' logs and prints as a per-stage table. Off (one
/// level check per hop) unless the category is enabled at Debug; then written for the jobs whose
/// reference contains <c>Federation:Hosting:StageJobs</c> (every job when it is empty).
/// </summary>
public static partial class JobStages
{
    /// <summary>The logging category of the stage lines.</summary>
    public const string Category = "Federation.Stages";

    private static ILogger s_logger = NullLogger.Instance;
    private static string? s_only;

    /// <summary>
    /// Takes the stage logger from <paramref name="loggers"/>, for the jobs whose reference contains
    /// <paramref name="only"/> (all when empty); once per process is enough, the last call wins.
    /// </summary>
    public static void Use(ILoggerFactory loggers, string? only = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        s_logger = loggers.CreateLogger(Category);
        s_only = string.IsNullOrEmpty(only) ? null : only;
    }

    /// <summary>True when stage lines are written.</summary>
    public static bool Enabled => s_logger.IsEnabled(LogLevel.Debug);

    /// <summary>Marks <paramref name="stage"/> of <paramref name="job"/> now.</summary>
    public static void Mark<TJob>(TJob job, string stage)
        where TJob : notnull
    {
        if (s_logger.IsEnabled(LogLevel.Debug) && (s_only is not { } only || (job.ToString() ?? "").Contains(only, StringComparison.Ordinal)))
        {
            LogStage(s_logger, job, stage, Stopwatch.GetTimestamp());
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stage {Job} {Stage} {Timestamp}")]
    private static partial void LogStage(ILogger logger, object job, string stage, long timestamp);
}
