namespace Federation.Learning.Round;

/// <summary>What a round does when too few nations remain for a safe sum (fewer than the threshold, or fewer than two contributors besides the aggregator).</summary>
public enum ShortfallPolicy
{
    /// <summary>Keep the stage open and wait for missing nations to return; never unmask with fewer.</summary>
    Wait = 0,

    /// <summary>Give up this round without a sum; the job goes on to the next round.</summary>
    Skip = 1,

    /// <summary>Give up this round and stop the job.</summary>
    Stop = 2,
}
