using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Federation.Silo.Tests.Auth;

/// <summary>
/// A local OpenID Connect issuer: a small Kestrel app serving its discovery document and JWKS, and
/// signing tokens with its own RSA key (as a university's or an agency's identity provider would).
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private static readonly string[] s_algorithms = ["RS256"];

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _keyId = $"k-{Guid.NewGuid():N}";

    private TestIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer URL (its tokens' <c>iss</c>).</summary>
    public string Url { get; private set; } = "";

    /// <summary>How many times its JWKS was fetched.</summary>
    public int KeyFetches { get; private set; }

    /// <summary>Starts an issuer on a free loopback port.</summary>
    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var issuer = new TestIssuer(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Url,
            ["jwks_uri"] = $"{issuer.Url}/jwks",
            ["id_token_signing_alg_values_supported"] = s_algorithms,
        }));
        app.MapGet("/jwks", () =>
        {
            issuer.KeyFetches++;
            var p = issuer._rsa.ExportParameters(includePrivateParameters: false);
            return Results.Json(new Dictionary<string, object>
            {
                ["keys"] = new[]
                {
                    new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = issuer._keyId, ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) },
                },
            });
        });
        await app.StartAsync();
        issuer.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return issuer;
    }

    /// <summary>A token for <paramref name="sub"/> with <paramref name="claims"/>; each default can be spoiled to test a check.</summary>
    public string Issue(
        string sub,
        string audience,
        IDictionary<string, object>? claims = null,
        string? issuer = null,
        DateTime? expires = null,
        bool foreignKey = false)
    {
        using var other = foreignKey ? RSA.Create(2048) : null;
        var key = new RsaSecurityKey(other ?? _rsa) { KeyId = foreignKey ? $"k-{Guid.NewGuid():N}" : _keyId };
        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddMinutes(10);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Url,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", sub)]),
            Claims = claims,
            IssuedAt = exp < now ? exp.AddMinutes(-10) : now,
            NotBefore = exp < now ? exp.AddMinutes(-10) : now,
            Expires = exp,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
