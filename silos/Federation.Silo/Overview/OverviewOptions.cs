namespace Federation.Silo.Overview;

/// <summary>The federation overview page (<c>GET /overview</c>) and its live updates; section <c>Federation:Overview</c>.</summary>
public sealed class OverviewOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Overview";

    /// <summary>How often the facts are read again while someone watches (default 2 s).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest quiet time on an event stream before a heartbeat comment is sent (default 15 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most event streams open at once on this silo; one more is answered 503 (default 16).</summary>
    public int MaxStreams { get; set; } = 16;

    /// <summary>Most jobs read from the job index for the counts (newest are not preferred: the index pages by id; default 2000).</summary>
    public int MaxJobs { get; set; } = 2000;
}
