using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Federation.Grains.Jobs;

/// <summary>
/// Tells the rest of the nation what a job grain recorded: its record to the read model (retried
/// on the next tick when that write failed) and each event to the job's stream (subscribers catch
/// up from the stored events, so a lost stream item is only late).
/// </summary>
/// <param name="job">The job.</param>
/// <param name="index">The read model.</param>
/// <param name="stream">Opens the job's event stream.</param>
/// <param name="logger">Where failures are logged.</param>
public sealed partial class JobPublisher(JobRef job, IJobIndex index, Func<IAsyncStream<JobEvent>> stream, ILogger logger)
{
    /// <summary>True when the read model missed the last record.</summary>
    public bool Stale { get; private set; }

    /// <summary>Writes <paramref name="record"/> to the read model; failures mark it stale.</summary>
    public async Task ProjectAsync(JobRecord record)
    {
        try
        {
            await index.UpsertAsync(record, CancellationToken.None);
            Stale = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Stale = true;
            LogProjectionFailed(logger, job, e);
        }
    }

    /// <summary>Publishes <paramref name="evt"/> on the job's stream.</summary>
    public async Task PublishAsync(JobEvent evt)
    {
        try
        {
            await stream().OnNextAsync(evt);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, job, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: read model not updated; retrying on the next tick")]
    private static partial void LogProjectionFailed(ILogger logger, JobRef job, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Job}: event not published on the stream")]
    private static partial void LogPublishFailed(ILogger logger, JobRef job, Exception exception);
}
