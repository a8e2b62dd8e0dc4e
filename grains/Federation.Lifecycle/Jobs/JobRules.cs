namespace Federation.Lifecycle.Jobs;

/// <summary>The stable names of the rules <see cref="JobLifecycle"/> refuses an input by.</summary>
public static class JobRules
{
    /// <summary>No job with this id was submitted here.</summary>
    public const string UnknownJob = "unknown-job";

    /// <summary>The message speaks for an epoch that is not the job's current one.</summary>
    public const string StaleEpoch = "stale-epoch";

    /// <summary>The current epoch is held by another nation than the sender.</summary>
    public const string WrongSender = "wrong-sender";

    /// <summary>The input does not fit the job's state (e.g. cancelling a finished job).</summary>
    public const string ImpossibleTransition = "impossible-transition";

    /// <summary>The same id was submitted with another spec.</summary>
    public const string SpecConflict = "spec-conflict";

    /// <summary>A plan answers an older request than the one awaited, or came when none was awaited.</summary>
    public const string StalePlan = "stale-plan";

    /// <summary>A routing decision given with a submission is for another job.</summary>
    public const string WrongDecision = "wrong-decision";

    /// <summary>A delivery report names a message not in the outbox.</summary>
    public const string UnknownMessage = "unknown-message";
}
