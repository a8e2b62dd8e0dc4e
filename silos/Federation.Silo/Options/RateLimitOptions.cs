namespace Federation.Silo.Options;

/// <summary>
/// Request rate limits (section <c>Federation:RateLimits</c>): a token bucket per bearer token (or
/// per client address without one) on the user API, and per peer certificate on the federation API.
/// The defaults are far above what the tests, the fuzz suite and the benchmarks send.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:RateLimits";

    /// <summary>Whether requests are limited at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per second one token (or anonymous client address) may send, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 2000;

    /// <summary>Requests one token may send at once above the sustained rate.</summary>
    public int Burst { get; set; } = 4000;

    /// <summary>Requests per second one peer nation may send to the federation API, sustained.</summary>
    public int PeerPermitsPerSecond { get; set; } = 2000;

    /// <summary>Requests one peer nation may send at once above its sustained rate.</summary>
    public int PeerBurst { get; set; } = 4000;
}
