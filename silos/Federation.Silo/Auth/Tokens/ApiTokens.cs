using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Federation.Silo.Auth.Grants;

namespace Federation.Silo.Auth.Tokens;

/// <summary>Creating API tokens for a caller and authenticating the callers that present them.</summary>
/// <param name="tokens">Where tokens are kept.</param>
/// <param name="grants">The nation's role grants.</param>
/// <param name="time">The clock.</param>
public sealed class ApiTokens(IApiTokenStore tokens, IRoleGrantStore grants, TimeProvider time)
{
    /// <summary>Every API token starts with this.</summary>
    public const string Prefix = "fedtok_";

    /// <summary>Claim carrying an API token's expiry (unix seconds).</summary>
    public const string ExpiresClaim = "fed_token_expires";

    /// <summary>The longest a token may live, in days.</summary>
    public const int MaxDays = 90;

    /// <summary>The role entries (<c>role</c> or <c>role:scope</c>) <paramref name="user"/> holds now.</summary>
    public static IReadOnlyList<string> EntriesOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value).Where(r => !Roles.IsScoped(r) && r != Roles.Node)
            .Concat(user.FindAll(FederationClaims.Consortium).Select(c => $"{Roles.ConsortiumMember}:{c.Value}"))
            .Concat(user.FindAll(FederationClaims.ConsortiumLead).Select(c => $"{Roles.ConsortiumLead}:{c.Value}"))
            .Concat(user.FindAll(FederationClaims.Course).Select(c => $"{Roles.Student}:{c.Value}"))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Creates a token for <paramref name="subject"/>, who holds <paramref name="held"/>, with <paramref name="scopes"/> of them (all when empty), named <paramref name="name"/>, living <paramref name="days"/> days.</summary>
    /// <returns>The secret (shown once) and the stored token, or the field and rule broken.</returns>
    public async Task<(string? Secret, ApiToken? Token, string? Field, string? Rule)> CreateAsync(
        string subject, IReadOnlyList<string> held, string name, IReadOnlyList<string>? scopes, int days, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(held);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            return (null, null, "name", "is required: 1 to 100 characters, no control characters");
        }

        if (days is < 1 or > MaxDays)
        {
            return (null, null, "expiresInDays", $"must be 1 to {MaxDays}, got {days}");
        }

        var wanted = scopes is { Count: > 0 } ? scopes : held;
        for (var i = 0; i < wanted.Count; i++)
        {
            if (wanted[i] is null || !held.Contains(wanted[i], StringComparer.Ordinal))
            {
                return (null, null, $"scopes[{i}]", $"'{wanted[i]}' is not a role you hold; you hold: {(held.Count == 0 ? "none" : string.Join(", ", held))}");
            }
        }

        var fromGrants = (await grants.ForSubjectAsync(subject, ct)).Select(g => g.Scope.Length == 0 ? g.Role : $"{g.Role}:{g.Scope}").ToHashSet(StringComparer.Ordinal);
        var id = $"tok-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var secret = $"{Prefix}{id}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        var now = time.GetUtcNow();
        var token = new ApiToken(id, subject, name, Hash(secret), [.. wanted.Distinct(StringComparer.Ordinal)], [.. wanted.Where(fromGrants.Contains).Distinct(StringComparer.Ordinal)],
            now, now.AddDays(days), null);
        await tokens.AddAsync(token, ct);
        return (secret, token, null, null);
    }

    /// <summary>The principal of a caller presenting <paramref name="secret"/>, or the failed check (<c>token</c>, <c>expiry</c>, <c>revoked</c>) and why.</summary>
    public async Task<(ClaimsPrincipal? Principal, string? Check, string? Detail)> AuthenticateAsync(string secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (await tokens.FindAsync(Hash(secret), ct) is not { } token)
        {
            return (null, "token", "The API token is not one this nation issued (or it was mistyped).");
        }

        if (token.RevokedAt is { } revoked)
        {
            return (null, "revoked", $"The API token {token.Id} was revoked at {revoked:u}.");
        }

        if (token.ExpiresAt <= time.GetUtcNow())
        {
            return (null, "expiry", $"The API token {token.Id} expired at {token.ExpiresAt:u}.");
        }

        var live = (await grants.ForSubjectAsync(token.Subject, ct)).Select(g => g.Scope.Length == 0 ? g.Role : $"{g.Role}:{g.Scope}").ToHashSet(StringComparer.Ordinal);
        var entries = token.Scopes.Where(e => !token.Granted.Contains(e) || live.Contains(e)).Select(Split);
        var principal = await CallerIdentities.BuildAsync(token.Subject, token.Subject, "api-token", entries, grants: null, ct);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("fed_token_id", token.Id));
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ExpiresClaim, token.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return (principal, null, null);
    }

    /// <summary>When the API token that authenticated <paramref name="user"/> expires (<see cref="DateTimeOffset.MaxValue"/> when unknown).</summary>
    public static DateTimeOffset ExpiresOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return long.TryParse(user.FindFirstValue(ExpiresClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MaxValue;
    }

    private static (string Role, string Scope) Split(string entry) =>
        entry.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (entry[..colon], entry[(colon + 1)..]) : (entry, "");

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
