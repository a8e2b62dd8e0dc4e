namespace Federation.Learning.Round;

/// <summary>A round's stage, whether it is waiting for missing nations (policy Wait), and why it waits or ended.</summary>
public sealed record RoundStatus(RoundStage Stage, bool Waiting, string? Reason)
{
    /// <summary>Whether the round has ended (completed, skipped, stopped or failed).</summary>
    public bool IsFinal => Stage >= RoundStage.Completed;
}
