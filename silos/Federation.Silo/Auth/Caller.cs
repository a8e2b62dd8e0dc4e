using System.Security.Claims;

namespace Federation.Silo.Auth;

/// <summary>
/// Who is calling, as the endpoints' rules need it: subject, roles, consortia (member or lead) and
/// courses, all from the authenticated identity and the nation's grants, never from a job spec.
/// On an open nation (embedded on loopback) every caller is <see cref="LocalAdmin"/>.
/// </summary>
/// <param name="Subject">The subject (<c>{issuer}:{sub}</c>, <c>config:operator</c>, ...).</param>
/// <param name="Roles">The roles held for the whole nation or for some scope.</param>
/// <param name="Consortia">Consortia the caller is a member of.</param>
/// <param name="Leads">Consortia the caller leads.</param>
/// <param name="Open">True on an open nation, where nobody authenticates.</param>
public sealed record Caller(string Subject, IReadOnlySet<string> Roles, IReadOnlySet<string> Consortia, IReadOnlySet<string> Leads, bool Open)
{
    /// <summary>Every caller of an open nation: its admin.</summary>
    public static Caller LocalAdmin { get; } = new("loopback:admin", new HashSet<string>([Auth.Roles.NationAdmin]), new HashSet<string>(), new HashSet<string>(), Open: true);

    /// <summary>The caller of <paramref name="http"/>.</summary>
    public static Caller Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.RequestServices.GetRequiredService<AuthMode>().Secured)
        {
            return LocalAdmin;
        }

        var user = http.User;
        return new Caller(
            user.FindFirstValue(FederationClaims.Subject) ?? "anonymous",
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            user.FindAll(FederationClaims.Consortium).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            user.FindAll(FederationClaims.ConsortiumLead).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            Open: false);
    }

    /// <summary>Admins and operators act on every job of the nation.</summary>
    public bool ActsOnAll => Open || Roles.Contains(Auth.Roles.NationAdmin) || Roles.Contains(Auth.Roles.Operator);

    /// <summary>Admins, operators, auditors and platform staff see every job of the nation.</summary>
    public bool SeesAll => ActsOnAll || Roles.Contains(Auth.Roles.Auditor) || Roles.Contains(Auth.Roles.PlatformStaff);

    /// <summary>Whether the caller is a member or the lead of <paramref name="consortium"/>.</summary>
    public bool InConsortium(string? consortium) => consortium is not null && (Consortia.Contains(consortium) || Leads.Contains(consortium));
}
