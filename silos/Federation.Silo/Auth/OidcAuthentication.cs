using Federation.Silo.Auth.Grants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Silo.Auth;

/// <summary>
/// OpenID Connect sign-in: one JWT bearer scheme per configured issuer (keys from its discovery
/// document, refreshed when a token names an unknown key), behind one scheme that picks the issuer
/// by the token's <c>iss</c> and sends anything that is not a JWT to the token handler.
/// </summary>
public static class OidcAuthentication
{
    /// <summary>The scheme every endpoint authenticates with.</summary>
    public const string SchemeName = "Federation";

    /// <summary>The scheme name of issuer <paramref name="name"/>.</summary>
    public static string IssuerScheme(string name) => $"oidc:{name}";

    /// <summary>Adds the schemes for <paramref name="issuers"/> and the token scheme, behind <see cref="SchemeName"/>.</summary>
    public static AuthenticationBuilder AddFederationSchemes(this AuthenticationBuilder builder, IReadOnlyList<IssuerOptions> issuers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(issuers);
        builder.AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        foreach (var issuer in issuers)
        {
            builder.AddJwtBearer(IssuerScheme(issuer.Name), o => Configure(o, issuer));
        }

        builder.AddPolicyScheme(SchemeName, "Tokens and OpenID Connect", o => o.ForwardDefaultSelector = http => Select(http, issuers));
        return builder;
    }

    /// <summary>The token in an <c>Authorization: Bearer</c> header if it has the shape of a JWT (three dot-separated parts), else null.</summary>
    public static string? BearerJwt(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        return token.Count(c => c == '.') == 2 ? token : null;
    }

    private static string Select(HttpContext http, IReadOnlyList<IssuerOptions> issuers)
    {
        if (issuers.Count == 0 || BearerJwt(http.Request) is not { } token)
        {
            return TokenAuthenticationHandler.SchemeName;
        }

        string? iss;
        try
        {
            iss = new JsonWebToken(token).Issuer;
        }
        catch (ArgumentException)
        {
            return TokenAuthenticationHandler.SchemeName;
        }

        // An issuer nobody configured is refused by the token handler, naming the issuer check.
        return issuers.FirstOrDefault(i => i.Issuer == iss) is { } known ? IssuerScheme(known.Name) : TokenAuthenticationHandler.SchemeName;
    }

    private static void Configure(JwtBearerOptions o, IssuerOptions issuer)
    {
        o.Authority = issuer.Issuer;
        o.MetadataAddress = issuer.MetadataAddress ?? $"{issuer.Issuer.TrimEnd('/')}/.well-known/openid-configuration";
        o.RequireHttpsMetadata = new Uri(o.MetadataAddress).Scheme == Uri.UriSchemeHttps;
        o.Audience = issuer.Audience;
        o.MapInboundClaims = false;
        o.RefreshOnIssuerKeyNotFound = true;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidAudience = issuer.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = async context =>
            {
                var grants = context.HttpContext.RequestServices.GetRequiredService<IRoleGrantStore>();
                var (principal, error) = await CallerIdentities.FromIssuerAsync(issuer, context.Principal!, grants, context.HttpContext.RequestAborted);
                if (principal is null)
                {
                    context.Fail(error!);
                    return;
                }

                context.Principal = principal;

                // A sign-in entry the first time this token is seen (not per request), and what the user holds, for the offers it makes abroad.
                var expires = context.SecurityToken.ValidTo is { Year: > 1 } to ? new DateTimeOffset(to, TimeSpan.Zero) : DateTimeOffset.MaxValue;
                await context.HttpContext.RequestServices.GetRequiredService<SignIns>().SeenAsync(principal, expires, context.HttpContext.RequestAborted);
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var failure = context.AuthenticateFailure is AggregateException { InnerExceptions.Count: > 0 } many ? many.InnerExceptions[0] : context.AuthenticateFailure;
                var (check, detail) = failure switch
                {
                    null => ("token", "This endpoint needs a token: send 'Authorization: Bearer <token>'."),
                    AuthenticationFailureException => ("token", failure.Message),
                    _ => TokenFailures.Describe(failure, issuer.Name),
                };
                await AuthProblems.UnauthorizedAsync(context.HttpContext, $"{detail} (issuer '{issuer.Name}', check: {check})", check);
            },
        };
    }
}
