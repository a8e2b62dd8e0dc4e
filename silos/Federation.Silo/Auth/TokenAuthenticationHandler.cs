using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Federation.Silo.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Auth;

/// <summary>
/// Bearer tokens from configuration: operators' tokens (role admin) and one token per node agent
/// (role node, with its node id). Browsers may send a token as the password of Basic
/// authentication, so the dashboard can prompt for it. Missing or unknown token: 401 problem+json.
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

    /// <summary>Role of operators.</summary>
    public const string AdminRole = "admin";

    /// <summary>Role of node agents.</summary>
    public const string NodeRole = "node";

    /// <summary>Claim carrying a node agent's node id.</summary>
    public const string NodeIdClaim = "node_id";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
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
                return Task.FromResult(AuthenticateResult.Fail("The Basic credentials are not valid base64."));
            }
        }

        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AuthenticateResult.Fail("Use 'Authorization: Bearer <token>'."));
        }

        var auth = federation.CurrentValue.Auth;
        var claims = new List<Claim>();
        if (auth.AdminTokens.Any(t => SameSecret(t, token)))
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
            claims.Add(new Claim(ClaimTypes.Name, "operator"));
        }
        else if (auth.NodeTokens.FirstOrDefault(p => SameSecret(p.Value, token)) is { Key: not null } node)
        {
            claims.Add(new Claim(ClaimTypes.Role, NodeRole));
            claims.Add(new Claim(NodeIdClaim, node.Key));
            claims.Add(new Claim(ClaimTypes.Name, $"node-agent:{node.Key}"));
        }
        else
        {
            return Task.FromResult(AuthenticateResult.Fail("The token is not one this nation issued."));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments("/dashboard")
            ? "Basic realm=\"federation dashboard\", charset=\"UTF-8\""
            : "Bearer realm=\"federation\"";
        var detail = result.Failure is { } failure
            ? $"{failure.Message} Check the token (Federation:Auth) you were given."
            : "This endpoint needs a token: send 'Authorization: Bearer <token>'.";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required", detail);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "Your token is valid but does not allow this: catalogue writes and the dashboard need an operator token; a node agent's token may only send its own node's heartbeats.");
    }

    private Task WriteProblemAsync(int status, string title, string detail) =>
        Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();

    private static bool SameSecret(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
