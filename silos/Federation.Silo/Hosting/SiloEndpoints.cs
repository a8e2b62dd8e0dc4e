namespace Federation.Silo.Hosting;

/// <summary>Where this silo listens, once known.</summary>
public sealed class SiloEndpoints(SiloMode mode, int siloPort, int gatewayPort, string clusterId, string serviceId)
{
    /// <summary>Embedded or configured.</summary>
    public SiloMode Mode { get; } = mode;

    /// <summary>Orleans silo port.</summary>
    public int SiloPort { get; } = siloPort;

    /// <summary>Orleans gateway port.</summary>
    public int GatewayPort { get; } = gatewayPort;

    /// <summary>Orleans ClusterId (<c>nation-&lt;code&gt;</c>).</summary>
    public string ClusterId { get; } = clusterId;

    /// <summary>Orleans ServiceId; never changes for a deployment.</summary>
    public string ServiceId { get; } = serviceId;

    /// <summary>Base URL of the user API, set when the server has started.</summary>
    public string? ApiBaseUrl { get; set; }
}
