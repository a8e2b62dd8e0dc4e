namespace Federation.Silo.Auth;

/// <summary>Claim types of a caller's principal, whatever authenticated it (roles use <see cref="System.Security.Claims.ClaimTypes.Role"/>).</summary>
public static class FederationClaims
{
    /// <summary>The caller's subject: <c>{issuer name}:{sub}</c> for OpenID Connect, the token's subject for API tokens.</summary>
    public const string Subject = "fed_subject";

    /// <summary>A consortium the caller is a member of (one claim each).</summary>
    public const string Consortium = "fed_consortium";

    /// <summary>A consortium the caller leads (one claim each; a lead is a member too).</summary>
    public const string ConsortiumLead = "fed_consortium_lead";

    /// <summary>A course the caller studies in (one claim each).</summary>
    public const string Course = "fed_course";

    /// <summary>How the caller authenticated: <c>config-token</c>, <c>api-token</c>, <c>oidc:{issuer name}</c> or <c>loopback</c>.</summary>
    public const string Method = "fed_auth_method";
}
