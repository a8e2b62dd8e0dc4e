using Federation.Contracts.Routing;

namespace Federation.Silo.Routing;

/// <summary>The router's weights and energy constants (section <c>Federation:Routing</c>); defaults are <see cref="ScoreWeights.Default"/>.</summary>
public sealed class RoutingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Routing";

    /// <summary>Score points per gCO2e.</summary>
    public double PerGco2e { get; set; } = ScoreWeights.Default.PerGco2e;

    /// <summary>Score points per hour of expected wait.</summary>
    public double PerWaitHour { get; set; } = ScoreWeights.Default.PerWaitHour;

    /// <summary>Network energy per GB moved, kWh.</summary>
    public double TransferKwhPerGb { get; set; } = ScoreWeights.Default.TransferKwhPerGb;

    /// <summary>Mean duration assumed for a queued job, hours.</summary>
    public double QueuedJobHours { get; set; } = ScoreWeights.Default.QueuedJobHours;

    /// <summary>The weights the router scores with (after <see cref="RoutingOptionsValidator"/> has passed).</summary>
    public ScoreWeights ToWeights() =>
        new() { PerGco2e = PerGco2e, PerWaitHour = PerWaitHour, TransferKwhPerGb = TransferKwhPerGb, QueuedJobHours = QueuedJobHours };
}
