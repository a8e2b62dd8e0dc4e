namespace Federation.Learning.Round;

/// <summary>Where a secure-aggregation round is.</summary>
public enum RoundStage
{
    /// <summary>Collecting signed key adverts.</summary>
    AdvertisingKeys = 0,

    /// <summary>Collecting encrypted shares from the advertisers.</summary>
    SharingKeys = 1,

    /// <summary>Collecting masked inputs from the nations that shared keys.</summary>
    CollectingMaskedInputs = 2,

    /// <summary>Collecting unmasking shares from the survivors.</summary>
    Unmasking = 3,

    /// <summary>The sum is known.</summary>
    Completed = 4,

    /// <summary>Too few nations; the round was skipped by policy.</summary>
    Skipped = 5,

    /// <summary>Too few nations; the job is stopped by policy.</summary>
    Stopped = 6,

    /// <summary>The sum could not be unmasked (too few survivors answered, or a share was wrong).</summary>
    Failed = 7,
}
