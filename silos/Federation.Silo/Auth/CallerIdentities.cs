using System.Security.Claims;
using Federation.Silo.Auth.Grants;

namespace Federation.Silo.Auth;

/// <summary>
/// Builds a caller's principal: subject, roles, consortia and courses, from what authenticated it
/// (an issuer's claims through its mappings, a token) plus the grants the nation keeps for the subject.
/// </summary>
public static class CallerIdentities
{
    /// <summary>The principal of a caller whose JWT <paramref name="token"/> issuer <paramref name="issuer"/> signed, or null with the missing claim.</summary>
    public static async Task<(ClaimsPrincipal? Principal, string? Error)> FromIssuerAsync(IssuerOptions issuer, ClaimsPrincipal token, IRoleGrantStore grants, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(grants);
        var sub = token.FindFirst(issuer.SubjectClaim)?.Value;
        if (string.IsNullOrWhiteSpace(sub))
        {
            return (null, $"The token has no '{issuer.SubjectClaim}' claim (Federation:Auth:Issuers {issuer.Name}:SubjectClaim) naming the user.");
        }

        var roles = Values(token, issuer.RoleClaim).Select(v => issuer.RoleMap.GetValueOrDefault(v)).OfType<string>();
        var scoped = Values(token, issuer.ConsortiumClaim).Select(c => (Roles.ConsortiumMember, c))
            .Concat(Values(token, issuer.ConsortiumLeadClaim).Select(c => (Roles.ConsortiumLead, c)))
            .Concat(Values(token, issuer.CourseClaim).Select(c => (Roles.Student, c)));
        var principal = await BuildAsync($"{issuer.Name}:{sub}", sub, $"oidc:{issuer.Name}", roles.Select(r => (r, "")).Concat(scoped), grants, ct);
        return (principal, null);
    }

    /// <summary>A principal for <paramref name="subject"/> holding <paramref name="held"/> (role, scope) plus its stored grants.</summary>
    public static async Task<ClaimsPrincipal> BuildAsync(string subject, string displayName, string method, IEnumerable<(string Role, string Scope)> held, IRoleGrantStore? grants, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(held);
        var all = held.ToList();
        if (grants is not null)
        {
            all.AddRange((await grants.ForSubjectAsync(subject, ct)).Select(g => (g.Role, g.Scope)));
        }

        var claims = new List<Claim>
        {
            new(FederationClaims.Subject, subject),
            new(ClaimTypes.Name, displayName),
            new(FederationClaims.Method, method),
        };
        foreach (var role in all.Select(h => h.Role).Distinct(StringComparer.Ordinal))
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        foreach (var (role, scope) in all.Where(h => h.Scope.Length > 0).Distinct())
        {
            claims.Add(new Claim(role switch
            {
                Roles.ConsortiumLead => FederationClaims.ConsortiumLead,
                Roles.Student => FederationClaims.Course,
                _ => FederationClaims.Consortium,
            }, scope));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, method, ClaimTypes.Name, ClaimTypes.Role));
    }

    // A claim may hold one value, several claims, or a JSON array (IdentityModel gives arrays as one claim each).
    private static IEnumerable<string> Values(ClaimsPrincipal token, string type) =>
        token.FindAll(type).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal);
}
