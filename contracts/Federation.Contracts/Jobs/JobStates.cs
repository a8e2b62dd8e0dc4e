namespace Federation.Contracts.Jobs;

/// <summary>Facts about <see cref="JobState"/> values.</summary>
public static class JobStates
{
    /// <summary>True for Succeeded, Failed, Cancelled and TimedOut: nothing changes afterwards.</summary>
    public static bool IsFinished(this JobState state) =>
        state is JobState.Succeeded or JobState.Failed or JobState.Cancelled or JobState.TimedOut;

    /// <summary>True while an executing nation holds the job (Admitted, Queued, Running).</summary>
    public static bool IsExecuting(this JobState state) =>
        state is JobState.Admitted or JobState.Queued or JobState.Running;
}
