using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>What <see cref="JobGrain"/> logs.</summary>
internal static partial class JobGrainLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: {State}, {Message}")]
    public static partial void Changed(ILogger logger, JobRef job, JobState state, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: {Kind} to {Nation} not delivered (attempt {Attempts}): {Error}")]
    public static partial void NotDelivered(ILogger logger, string kind, JobRef job, NationCode nation, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: {Input} refused by rule {Rule}: {Reason}")]
    public static partial void Rejected(ILogger logger, JobRef job, string input, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: retention over; removed")]
    public static partial void RetentionOver(ILogger logger, JobRef job);
}
