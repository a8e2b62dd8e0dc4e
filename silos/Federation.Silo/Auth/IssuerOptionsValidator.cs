using Federation.Silo.Hosting;

namespace Federation.Silo.Auth;

/// <summary>Checks <c>Federation:Auth:Issuers</c> at start; each failure names its key.</summary>
public static class IssuerOptionsValidator
{
    /// <summary>Adds a message to <paramref name="failures"/> for each broken rule of <paramref name="issuers"/>.</summary>
    public static void Validate(IReadOnlyList<IssuerOptions> issuers, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        ArgumentNullException.ThrowIfNull(failures);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var urls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < issuers.Count; i++)
        {
            var issuer = issuers[i];
            var key = $"Federation:Auth:Issuers:{i}";
            if (issuer is null)
            {
                failures.Add($"{key} is empty: give Name, Issuer and Audience");
                continue;
            }

            if (string.IsNullOrWhiteSpace(issuer.Name) || issuer.Name.Length > 40 || !issuer.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                failures.Add($"{key}:Name must be 1 to 40 letters, digits or '-', got '{issuer.Name}'");
            }
            else if (!names.Add(issuer.Name))
            {
                failures.Add($"{key}:Name '{issuer.Name}' is used by an earlier issuer; names must be unique");
            }

            CheckUrl(issuer.Issuer, $"{key}:Issuer", failures);
            if (!string.IsNullOrEmpty(issuer.Issuer) && !urls.Add(issuer.Issuer))
            {
                failures.Add($"{key}:Issuer '{issuer.Issuer}' is configured twice");
            }

            if (issuer.MetadataAddress is not null)
            {
                CheckUrl(issuer.MetadataAddress, $"{key}:MetadataAddress", failures);
            }

            if (string.IsNullOrWhiteSpace(issuer.Audience))
            {
                failures.Add($"{key}:Audience is required: the 'aud' that this nation's tokens from {issuer.Name} carry");
            }

            foreach (var (claim, property) in new[] { (issuer.SubjectClaim, "SubjectClaim"), (issuer.RoleClaim, "RoleClaim"), (issuer.ConsortiumClaim, "ConsortiumClaim"), (issuer.ConsortiumLeadClaim, "ConsortiumLeadClaim"), (issuer.CourseClaim, "CourseClaim") })
            {
                if (string.IsNullOrWhiteSpace(claim))
                {
                    failures.Add($"{key}:{property} must name a claim");
                }
            }

            foreach (var (from, to) in issuer.RoleMap)
            {
                if (!Roles.People.Contains(to) || Roles.IsScoped(to))
                {
                    failures.Add($"{key}:RoleMap:{from} maps to '{to}', which is not a nation-wide role: {string.Join(", ", Roles.People.Where(r => !Roles.IsScoped(r)))} " +
                        "(consortium and course roles come from ConsortiumClaim, ConsortiumLeadClaim and CourseClaim)");
                }
            }
        }
    }

    private static void CheckUrl(string? url, string key, List<string> failures)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} must be an absolute https URL, got '{url}'");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !Exposure.IsLoopback(url!))
        {
            failures.Add($"{key} is '{url}': an issuer's keys must be fetched over https (http only on loopback, for tests)");
        }
    }
}
