namespace Federation.Silo.Transparency;

/// <summary>The nation's transparency log (section <c>Federation:Transparency</c>; docs/transparency.md).</summary>
public sealed class TransparencyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Transparency";

    /// <summary>How often the nation signs and publishes a new tree head when the log grew (default 5 s).</summary>
    public TimeSpan HeadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the nation fetches and checks each rostered peer's latest signed head (default 30 s).</summary>
    public TimeSpan PeerCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The secret (base64, at least 32 bytes) under which people in log entries are kept as HMAC digests.
    /// Unset: a random secret per process, so digests of one person only match within one run.
    /// </summary>
    public string? SubjectSecret { get; set; }

    /// <summary>
    /// Whether entries are appended (default true). False is only for measuring what the log costs
    /// (the throughput benchmark's <c>--transparency both</c>): decisions then go unrecorded, and peers
    /// see a log that stops growing. The silo warns at start when it is off.
    /// </summary>
    public bool Record { get; set; } = true;

    /// <summary>
    /// How many refused federation requests of one peer are recorded each minute (default 120, 1 to
    /// 100,000); the ones over are counted and the next recorded refusal carries the count as
    /// <c>suppressed</c>, so a peer cannot grow this nation's log without bound.
    /// </summary>
    public int RefusalsPerPeerPerMinute { get; set; } = 120;
}
