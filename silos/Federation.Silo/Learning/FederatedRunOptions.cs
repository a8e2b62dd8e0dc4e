namespace Federation.Silo.Learning;

/// <summary>How this nation coordinates the federated runs it aggregates (<c>Federation:Learning</c>).</summary>
public sealed class FederatedRunOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Learning";

    /// <summary>How long each secure-aggregation stage of a round waits for the contributors before it goes on without the missing ones (default 2 minutes; 1 second to 1 hour).</summary>
    public TimeSpan StageTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Why these options are invalid, naming the property; null when they are valid.</summary>
    public string? Invalid() =>
        StageTimeout < TimeSpan.FromSeconds(1) || StageTimeout > TimeSpan.FromHours(1)
            ? $"FederatedRunOptions.StageTimeout must be 1 second to 1 hour, got {StageTimeout}"
            : null;
}
