namespace Federation.Fedctl.Agent;

/// <summary>Where a node agent's power figure comes from.</summary>
public interface IPowerSampler
{
    /// <summary>How the figure is obtained, for the agent's start-up line.</summary>
    string Description { get; }

    /// <summary>
    /// The node's accelerators' power draw in watts, or null when there is no measurement (the
    /// heartbeat then carries none and the silo labels its own TDP × count figure <c>tdpEstimate</c>).
    /// </summary>
    Task<double?> SampleWattsAsync(CancellationToken cancellationToken);
}
