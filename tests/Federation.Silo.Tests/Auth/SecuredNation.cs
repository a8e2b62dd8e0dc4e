using System.Net.Http.Headers;
using Federation.Testing;

namespace Federation.Silo.Tests.Auth;

/// <summary>
/// An embedded nation that authenticates on loopback (<c>Federation:Auth:RequireOnLoopback</c>),
/// trusting two local test issuers, with a token per role.
/// </summary>
public sealed class SecuredNation : IAsyncDisposable
{
    /// <summary>The audience of the nation's tokens.</summary>
    public const string Audience = "federation-test-nation";

    private SecuredNation(SiloUnderTest silo, TestIssuer uni, TestIssuer agency)
    {
        Silo = silo;
        Uni = uni;
        Agency = agency;
    }

    /// <summary>The silo.</summary>
    public SiloUnderTest Silo { get; }

    /// <summary>The first issuer ("uni"): roles in <c>groups</c>, mapped by the nation.</summary>
    public TestIssuer Uni { get; }

    /// <summary>The second issuer ("agency"), default claim names.</summary>
    public TestIssuer Agency { get; }

    /// <summary>Starts the issuers and the nation, with <paramref name="extra"/> configuration.</summary>
    public static async Task<SecuredNation> StartAsync(IDictionary<string, string?>? extra = null)
    {
        var uni = await TestIssuer.StartAsync();
        var agency = await TestIssuer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Federation:Auth:RequireOnLoopback"] = "true",
            ["Federation:Auth:AdminTokens:0"] = SiloUnderTest.AdminToken,
            ["Federation:Auth:NodeTokens:agent-node"] = SiloUnderTest.NodeToken,
            ["Federation:Auth:Issuers:0:Name"] = "uni",
            ["Federation:Auth:Issuers:0:Issuer"] = uni.Url,
            ["Federation:Auth:Issuers:0:Audience"] = Audience,
            ["Federation:Auth:Issuers:0:RoleClaim"] = "groups",
            ["Federation:Auth:Issuers:0:RoleMap:hpc-admins"] = "nation-admin",
            ["Federation:Auth:Issuers:0:RoleMap:hpc-ops"] = "operator",
            ["Federation:Auth:Issuers:0:RoleMap:audit"] = "auditor",
            ["Federation:Auth:Issuers:0:RoleMap:platform"] = "platform-staff",
            ["Federation:Auth:Issuers:1:Name"] = "agency",
            ["Federation:Auth:Issuers:1:Issuer"] = agency.Url,
            ["Federation:Auth:Issuers:1:Audience"] = Audience,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var silo = await SiloUnderTest.StartEmbeddedAsync(extra: settings);
        return new SecuredNation(silo, uni, agency);
    }

    /// <summary>A uni token for <paramref name="sub"/> in <paramref name="groups"/>, member of <paramref name="consortia"/>.</summary>
    public string UniToken(string sub, string[]? groups = null, string[]? consortia = null, string[]? leads = null, string[]? courses = null)
    {
        var claims = new Dictionary<string, object>();
        if (groups is { Length: > 0 })
        {
            claims["groups"] = groups;
        }

        if (consortia is { Length: > 0 })
        {
            claims["consortia"] = consortia;
        }

        if (leads is { Length: > 0 })
        {
            claims["consortia_led"] = leads;
        }

        if (courses is { Length: > 0 })
        {
            claims["courses"] = courses;
        }

        return Uni.Issue(sub, Audience, claims);
    }

    /// <summary>A client sending <paramref name="token"/> (none when null); redirects are answers, not followed.</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Uni.DisposeAsync();
        await Agency.DisposeAsync();
    }
}
