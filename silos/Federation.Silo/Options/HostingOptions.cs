namespace Federation.Silo.Options;

/// <summary>
/// How the silo is hosted (section <c>Federation:Hosting</c>): behind a reverse proxy, with its own TLS on
/// the user port, or as a Kubernetes pod. The federation port is never affected: it keeps its mutual TLS.
/// </summary>
public sealed class HostingOptions
{
    /// <summary>Which proxies' <c>X-Forwarded-*</c> headers are honoured on the user port (none by default).</summary>
    public ReverseProxyOptions ForwardedHeaders { get; set; } = new();

    /// <summary>The user port's own TLS certificate, for <c>https</c> URLs in <c>Federation:Urls</c>.</summary>
    public UserTlsOptions UserTls { get; set; } = new();

    /// <summary>
    /// Runs as a Kubernetes pod: Orleans' Kubernetes hosting reads the pod's name, IP and namespace and
    /// deletes defunct silo pods. Off everywhere else.
    /// </summary>
    public bool Kubernetes { get; set; }
}
