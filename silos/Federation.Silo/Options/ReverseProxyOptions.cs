namespace Federation.Silo.Options;

/// <summary>
/// The reverse proxies in front of the user API (section <c>Federation:Hosting:ForwardedHeaders</c>).
/// <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are honoured only on connections from these
/// addresses; with none configured (the default) they are ignored from everyone, loopback included.
/// </summary>
public sealed class ReverseProxyOptions
{
    /// <summary>IP addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies of a chain are unwound (entries of <c>X-Forwarded-For</c> read from the right).</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any proxy is trusted.</summary>
    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
