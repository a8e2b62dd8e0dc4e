using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Federation.Silo.Auth.Tokens;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Federation.Silo.Auth;

/// <summary>
/// Bearer tokens that are not OpenID Connect JWTs: operators' tokens from configuration (role
/// nation-admin), one token per node agent (role node, with its node id), and the API tokens users
/// create (<see cref="ApiTokens"/>). Browsers may send a
/// token as the password of Basic authentication, so the dashboard can prompt for it. A JWT whose
/// issuer this nation does not trust ends here too and is refused naming the issuer check.
/// Missing or unknown token: 401 problem+json.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    IOptionsMonitor<FederationOptions> federation,
    ILoggerFactory logger,
    UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "Token";

    /// <summary>Role of the operators holding a configured admin token.</summary>
    public const string AdminRole = Roles.NationAdmin;

    /// <summary>Role of node agents.</summary>
    public const string NodeRole = Roles.Node;

    /// <summary>Claim carrying a node agent's node id.</summary>
    public const string NodeIdClaim = "node_id";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        string? token = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                token = decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
            catch (FormatException)
            {
                return Fail("token", "The Basic credentials are not valid base64.");
            }
        }

        if (string.IsNullOrEmpty(token))
        {
            return Fail("token", "Use 'Authorization: Bearer <token>'.");
        }

        if (token.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal))
        {
            var (user, check, detail) = await Context.RequestServices.GetRequiredService<ApiTokens>().AuthenticateAsync(token, Context.RequestAborted);
            if (user is null)
            {
                return AuthenticateResult.Fail(new TokenCheckException(check!, detail!));
            }

            await Context.RequestServices.GetRequiredService<SignIns>().SeenAsync(user, ApiTokens.ExpiresOf(user), Context.RequestAborted);
            return AuthenticateResult.Success(new AuthenticationTicket(user, SchemeName));
        }

        var auth = federation.CurrentValue.Auth;
        var claims = new List<Claim>();
        if (auth.AdminTokens.Any(t => SameSecret(t, token)))
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
            claims.Add(new Claim(ClaimTypes.Name, "operator"));
            claims.Add(new Claim(FederationClaims.Subject, "config:operator"));
            claims.Add(new Claim(FederationClaims.Method, "config-token"));
        }
        else if (auth.NodeTokens.FirstOrDefault(p => SameSecret(p.Value, token)) is { Key: not null } node)
        {
            claims.Add(new Claim(ClaimTypes.Role, NodeRole));
            claims.Add(new Claim(NodeIdClaim, node.Key));
            claims.Add(new Claim(ClaimTypes.Name, $"node-agent:{node.Key}"));
            claims.Add(new Claim(FederationClaims.Subject, $"node:{node.Key}"));
            claims.Add(new Claim(FederationClaims.Method, "config-token"));
        }
        else if (OidcAuthentication.BearerJwt(Request) is { } jwt)
        {
            return Fail("issuer", $"The token's issuer '{IssuerOf(jwt)}' is not one this nation trusts (Federation:Auth:Issuers).");
        }
        else
        {
            return Fail("token", "The token is not one this nation issued.");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is TokenCheckException failure)
        {
            await AuthProblems.UnauthorizedAsync(Context, $"{failure.Message} (check: {failure.Check})", failure.Check);
            return;
        }

        await AuthProblems.UnauthorizedAsync(Context, "This endpoint needs a token: send 'Authorization: Bearer <token>'.", null);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblems.ForbiddenAsync(Context, "Your token is valid but does not allow this.");

    private static AuthenticateResult Fail(string check, string message) =>
        AuthenticateResult.Fail(new TokenCheckException(check, message));

    private static string IssuerOf(string jwt)
    {
        try
        {
            return new JsonWebToken(jwt).Issuer;
        }
        catch (ArgumentException)
        {
            return "(unreadable)";
        }
    }

    private static bool SameSecret(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
