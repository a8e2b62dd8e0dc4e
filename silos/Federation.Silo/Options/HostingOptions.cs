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

    /// <summary>
    /// How long the live job-event stream's pulling agents wait after a read that found nothing before reading again,
    /// milliseconds (1 to 1,000): the most a job event waits before it reaches an open event stream at low load. 20 by default.
    /// </summary>
    public int EventPollMilliseconds { get; set; } = 20;

    /// <summary>
    /// With the <c>Federation.Stages</c> log category at Debug, only the jobs whose reference (<c>ORIGIN/id</c>) contains
    /// this text get their stage lines (the throughput benchmark: its low-load jobs); empty, every job does.
    /// </summary>
    public string StageJobs { get; set; } = "";

    /// <summary>Queues of the live job-event stream across the nation's silos (1 to 64); each is read by one pulling agent, which reads again at once while it finds events. 1 by default.</summary>
    public int EventQueues { get; set; } = 1;
}
