using Federation.Silo.Auth;

namespace Federation.Silo.Options;

/// <summary>Who may call the user API (section <c>Federation:Auth</c>): tokens from configuration and OpenID Connect issuers.</summary>
public sealed class AuthOptions
{
    /// <summary>Tokens of operators: the nation's admins (catalogue writes, the dashboard, role grants).</summary>
    public List<string> AdminTokens { get; set; } = [];

    /// <summary>One token per node agent, by node id: may send that node's heartbeats.</summary>
    public Dictionary<string, string> NodeTokens { get; set; } = [];

    /// <summary>Whether reads need a token too (configured mode; embedded mode is always open).</summary>
    public bool ReadsRequireToken { get; set; }

    /// <summary>
    /// Requires authentication in embedded mode on loopback too (a shared workstation, tests). Off by
    /// default: an embedded nation on loopback is open, every local caller its admin.
    /// </summary>
    public bool RequireOnLoopback { get; set; }

    /// <summary>OpenID Connect issuers whose tokens (JWTs) this nation accepts, each with its audience and claim mappings.</summary>
    public List<IssuerOptions> Issuers { get; set; } = [];

    /// <summary>The rules this nation applies to the identities other nations vouch for in their offers.</summary>
    public Auth.Foreign.ForeignIdentityOptions Foreign { get; set; } = new();
}
