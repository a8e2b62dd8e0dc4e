namespace Federation.Silo.Peering;

/// <summary>The federation endpoint and roster (section <c>Federation:Peering</c>).</summary>
public sealed class PeeringOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Peering";

    /// <summary>Federation API port; 0 picks a free one. Only served when <see cref="CertificatePath"/> is set.</summary>
    public int Port { get; set; } = 7443;

    /// <summary>IP address the federation API listens on.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The nation's certificate and key (<c>.pfx</c>, no password), as written by <c>fedctl nation init</c>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The federation roster file (JSON, <c>{"nations": [...]}</c>); edits are picked up without a restart.</summary>
    public string? RosterPath { get; set; }

    /// <summary>How often this nation re-sends its capability advert to every peer.</summary>
    public TimeSpan AdvertInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the federation API is served (a certificate is configured).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
