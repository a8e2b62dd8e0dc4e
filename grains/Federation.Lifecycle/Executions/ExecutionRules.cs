namespace Federation.Lifecycle.Executions;

/// <summary>The stable names of the rules an execution refuses an input by.</summary>
public static class ExecutionRules
{
    /// <summary>A cancellation or answer from a nation that is not the job's origin.</summary>
    public const string WrongSender = "wrong-sender";

    /// <summary>A message for another epoch of the job.</summary>
    public const string StaleEpoch = "stale-epoch";

    /// <summary>An offer for another job or epoch than this execution's.</summary>
    public const string WrongExecution = "wrong-execution";

    /// <summary>An input the execution's state cannot take (a start nobody asked for, a bill with nothing finishing).</summary>
    public const string ImpossibleTransition = "impossible-transition";

    /// <summary>An offer of an epoch the origin fenced before the offer arrived: refused.</summary>
    public const string FencedBeforeOffer = "fenced-before-offer";

    /// <summary>An offer that came without the facts admission needs: refused.</summary>
    public const string NoAdmissionFacts = "no-admission-facts";

    /// <summary>An input of a kind the decider does not know.</summary>
    public const string UnknownInput = "unknown-input";
}
