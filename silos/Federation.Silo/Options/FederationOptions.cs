namespace Federation.Silo.Options;

/// <summary>Configuration of a nation's silo (section <c>Federation</c>).</summary>
public sealed class FederationOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation";

    /// <summary>Who this nation is.</summary>
    public NationOptions Nation { get; set; } = new();

    /// <summary>
    /// User API URLs (http, or https with <c>Federation:Hosting:UserTls</c>), separated by ';'. Port 0 picks a
    /// free port. When unset, <c>ASPNETCORE_URLS</c>, then <c>ASPNETCORE_HTTP_PORTS</c>/<c>ASPNETCORE_HTTPS_PORTS</c>
    /// apply (<see cref="Hosting.UserUrls"/>), then this default.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:5180";

    /// <summary>Orleans silo-to-silo port; 0 picks a free one.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans gateway (client) port; 0 picks a free one.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>IP address this silo advertises to the other silos of its nation.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Largest request body accepted, in bytes; larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Seed a small demo catalogue, with demo files under the first data root, in a demo nation:
    /// an embedded silo, or one the local launcher marks with <see cref="DemoNation"/>.
    /// </summary>
    public bool SeedDemoCatalogue { get; set; } = true;

    /// <summary>
    /// Set by the local launcher: this nation is a demo even on PostgreSQL (demo catalogue and
    /// simulated node agent). A real deployment leaves it false.
    /// </summary>
    public bool DemoNation { get; set; }

    /// <summary>In a demo nation, heartbeat the demo nodes from a simulated node agent inside the silo.</summary>
    public bool SimulateDemoNodes { get; set; } = true;

    /// <summary>Bearer tokens.</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>PostgreSQL; without a connection string the silo runs embedded, in memory.</summary>
    public PostgresOptions Postgres { get; set; } = new();

    /// <summary>Reverse proxies, the user port's own TLS, Kubernetes.</summary>
    public HostingOptions Hosting { get; set; } = new();

    /// <summary>Orleans membership timing (configured mode).</summary>
    public MembershipOptions Membership { get; set; } = new();
}
