namespace Federation.Silo.Learning;

/// <summary>A local step failed for a reason its message states, with what to do about it.</summary>
public sealed class StepFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StepFailedException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public StepFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public StepFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The workload's run, when it ran: its last lines are kept as the step's logs.</summary>
    public WorkloadRun? Run { get; init; }
}
