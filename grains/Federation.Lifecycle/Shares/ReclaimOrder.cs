namespace Federation.Lifecycle.Shares;

/// <summary>Which borrowed runs give their accelerators back first when the owner's demand arrives.</summary>
public enum ReclaimOrder
{
    /// <summary>The most recently started first: the least work is lost (Kueue's "most recently admitted").</summary>
    NewestFirst,

    /// <summary>Runs of the nation furthest over its entitlement (lowest fair-share factor) first, newest first among them.</summary>
    MostOverShareFirst,
}
