using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using Federation.Silo.Routing;

namespace Federation.Silo.Jobs;

/// <summary>Plans jobs for their grains with the <see cref="RoutePlanner"/>, outside the grain, and answers with a grain call.</summary>
public sealed partial class JobPlanner(RoutePlanner planner, ILogger<JobPlanner> logger) : IJobPlanner
{
    /// <inheritdoc />
    public void Plan(JobRef job, JobSpec spec, int attempt, IJobGrain replyTo) => _ = Task.Run(async () =>
    {
        try
        {
            var plan = await planner.PlanAsync(spec, CancellationToken.None);
            var failure = plan.Errors is { } errors ? errors.Summary() : plan.Unavailable;
            await replyTo.PlannedAsync(attempt, plan.Decision, failure);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogPlanFailed(logger, job, e);
            try
            {
                await replyTo.PlannedAsync(attempt, null, e.GetBaseException().Message);
            }
            catch (Exception inner) when (inner is not OutOfMemoryException)
            {
                // The grain plans again on its own timer.
                LogPlanFailed(logger, job, inner);
            }
        }
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Planning job {Job} failed; its grain will plan again")]
    private static partial void LogPlanFailed(ILogger logger, JobRef job, Exception exception);
}
