namespace Federation.Silo.Auth;

/// <summary>
/// One OpenID Connect issuer this nation trusts (an element of <c>Federation:Auth:Issuers</c>): its
/// signing keys come from its discovery document; its claims map to this nation's roles.
/// </summary>
public sealed class IssuerOptions
{
    /// <summary>Short name (letters, digits, '-'), unique in the nation; subjects are named <c>{Name}:{sub}</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The issuer URL, exactly as in its tokens' <c>iss</c> claim (https; http only on loopback).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The audience this nation's tokens carry (<c>aud</c>).</summary>
    public string Audience { get; set; } = "";

    /// <summary>The discovery document; defaults to <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The claim naming the user (default <c>sub</c>).</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>The claim holding the issuer's role or group names (default <c>roles</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Issuer role or group name to this nation's role (<see cref="Roles"/>), e.g. <c>"hpc-admins": "operator"</c>.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    /// <summary>The claim listing the consortia the user is a member of (default <c>consortia</c>).</summary>
    public string ConsortiumClaim { get; set; } = "consortia";

    /// <summary>The claim listing the consortia the user leads (default <c>consortia_led</c>).</summary>
    public string ConsortiumLeadClaim { get; set; } = "consortia_led";

    /// <summary>The claim listing the courses the user studies in (default <c>courses</c>).</summary>
    public string CourseClaim { get; set; } = "courses";
}
