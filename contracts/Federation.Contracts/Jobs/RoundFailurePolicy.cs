namespace Federation.Contracts.Jobs;

/// <summary>What a round does when a local step fails or its nation goes down.</summary>
public enum RoundFailurePolicy
{
    /// <summary>Wait for the nation's return, up to the policy's bound; then stop.</summary>
    Wait = 0,

    /// <summary>Finish the round without that nation, if enough contributors remain; otherwise wait.</summary>
    SkipNation = 1,

    /// <summary>Stop the job with the last aggregated model.</summary>
    Stop = 2,
}
