namespace Federation.Contracts.Routing;

/// <summary>
/// How the router turns score components into one number (section <c>Federation:Routing</c>), and
/// the constants of its energy model. Recorded in every decision so that it can be replayed.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.ScoreWeights")]
public sealed record ScoreWeights
{
    /// <summary>Score points per gCO2e of compute and transfer emissions.</summary>
    [Id(0)] public double PerGco2e { get; init; } = 1.0;

    /// <summary>Score points per hour of expected wait.</summary>
    [Id(1)] public double PerWaitHour { get; init; } = 10.0;

    /// <summary>Network energy per GB moved, kWh (Aslan et al. 2018: 0.06 kWh/GB).</summary>
    [Id(2)] public double TransferKwhPerGb { get; init; } = 0.06;

    /// <summary>Mean duration assumed for a queued job when estimating wait, hours.</summary>
    [Id(3)] public double QueuedJobHours { get; init; } = 1.0;

    /// <summary>The defaults.</summary>
    public static ScoreWeights Default { get; } = new();
}
