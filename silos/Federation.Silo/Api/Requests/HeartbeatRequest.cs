namespace Federation.Silo.Api.Requests;

/// <summary>Body of POST /api/v1/nodes/{id}/heartbeat.</summary>
public sealed class HeartbeatRequest
{
    /// <summary>Measured power draw of the node's accelerators in watts, when the agent can measure it.</summary>
    public double? PowerDrawWatts { get; set; }
}
