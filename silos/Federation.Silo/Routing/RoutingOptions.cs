using Federation.Contracts.Routing;

namespace Federation.Silo.Routing;

/// <summary>The router's weights and energy constants (section <c>Federation:Routing</c>).</summary>
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

    /// <summary>The weights, after checking each is a finite, non-negative number.</summary>
    /// <exception cref="InvalidOperationException">A weight is negative or not a number.</exception>
    public ScoreWeights ToWeights()
    {
        Check(PerGco2e, nameof(PerGco2e));
        Check(PerWaitHour, nameof(PerWaitHour));
        Check(TransferKwhPerGb, nameof(TransferKwhPerGb));
        Check(QueuedJobHours, nameof(QueuedJobHours));
        return new ScoreWeights { PerGco2e = PerGco2e, PerWaitHour = PerWaitHour, TransferKwhPerGb = TransferKwhPerGb, QueuedJobHours = QueuedJobHours };
    }

    private static void Check(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new InvalidOperationException($"{Section}:{name} must be a number >= 0, got {value}.");
        }
    }
}
