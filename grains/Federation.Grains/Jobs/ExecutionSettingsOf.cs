using Federation.Execution;
using Federation.Lifecycle.Executions;
using Federation.Reference;

namespace Federation.Grains.Jobs;

/// <summary>The execution decider's settings, from the nation's job and executor settings.</summary>
public static class ExecutionSettingsOf
{
    /// <summary>The settings <see cref="ExecutionLifecycle"/> decides with in this nation.</summary>
    public static ExecutionSettings Nation(JobSettings jobs, ExecutorSettings executor, ReferenceTables reference)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(executor);
        return new ExecutionSettings
        {
            RenewEvery = jobs.RenewEvery,
            Margin = jobs.Margin,
            ProgressEvery = executor.ProgressEvery,
            PollEvery = executor.PollEvery,
            QueuedRecheck = executor.QueuedRecheck,
            SimulatedSecondsPerHour = executor.SecondsPerEstimatedHour,
            Reference = reference,
        };
    }
}
