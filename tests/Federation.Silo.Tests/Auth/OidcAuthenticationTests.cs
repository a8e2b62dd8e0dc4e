using System.Net;
using System.Text.Json;
using Federation.Silo.Hosting;
using Federation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Tests.Auth;

/// <summary>
/// Sign-in with OpenID Connect (issue 16, item 1): tokens of two local issuers, keys from their
/// discovery documents; every bad token is a 401 naming the check it failed; configured tokens keep working.
/// </summary>
/// <remarks>The tests share one nation: each uses names of its own.</remarks>
public sealed class OidcAuthenticationTests(SharedSecuredNation shared) : IClassFixture<SharedSecuredNation>
{
    private SecuredNation Nation => shared.Nation;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetJobsAsync(string? token)
    {
        using var client = Nation.Client(token);
        using var response = await client.GetAsync("/api/v1/jobs", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task AssertRefusedAsync(string token, string check)
    {
        var (status, body) = await GetJobsAsync(token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(check, body.GetProperty("check").GetString());
        Assert.Contains(check, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_FromEitherIssuer_IsAccepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetJobsAsync(Nation.UniToken("alice"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetJobsAsync(Nation.Agency.Issue("bob", SecuredNation.Audience))).Status);
        Assert.True(Nation.Uni.KeyFetches >= 1, "the uni issuer's JWKS was never fetched: keys must come from the discovery document");
    }

    [Fact]
    public async Task NoToken_OnJobs_Is401ProblemJson()
    {
        using var client = Nation.Client(null);
        using var response = await client.GetAsync("/api/v1/jobs", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Token_WithUnknownIssuer_Is401NamingIssuer() =>
        await AssertRefusedAsync(Nation.Uni.Issue("alice", SecuredNation.Audience, issuer: "https://idp.elsewhere.test/realm"), "issuer");

    [Fact]
    public async Task Token_SignedByOneIssuerClaimingTheOther_Is401() =>
        await AssertRefusedAsync(Nation.Uni.Issue("alice", SecuredNation.Audience, issuer: Nation.Agency.Url), "signature");

    [Fact]
    public async Task Token_ForAnotherAudience_Is401NamingAudience() =>
        await AssertRefusedAsync(Nation.Uni.Issue("alice", "some-other-service"), "audience");

    [Fact]
    public async Task Token_SignedWithAnotherKey_Is401NamingSignature() =>
        await AssertRefusedAsync(Nation.Uni.Issue("alice", SecuredNation.Audience, foreignKey: true), "signature");

    [Fact]
    public async Task Token_Expired_Is401NamingExpiry() =>
        await AssertRefusedAsync(Nation.Uni.Issue("alice", SecuredNation.Audience, expires: DateTime.UtcNow.AddMinutes(-5)), "expiry");

    [Fact]
    public async Task ConfiguredTokens_KeepWorking()
    {
        using var admin = Nation.Client(SiloUnderTest.AdminToken);
        using var created = await admin.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("oidc-config-token")), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var (status, body) = await GetJobsAsync("not-a-token-this-nation-issued");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("token", body.GetProperty("check").GetString());
    }

    [Fact]
    public async Task MappedRole_AllowsCatalogueWrites_UnmappedIsForbiddenNamingTheRule()
    {
        using var ops = Nation.Client(Nation.UniToken("olga", groups: ["hpc-ops"]));
        using var created = await ops.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("oidc-ops")), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var plain = Nation.Client(Nation.UniToken("paul", groups: ["students-2026"]));
        using var refused = await plain.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("oidc-plain")), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Contains("nation-admin or operator", body.GetProperty("rule").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name", "", "Federation:Auth:Issuers:0:Name")]
    [InlineData("Audience", "", "Federation:Auth:Issuers:0:Audience")]
    [InlineData("Issuer", "http://idp.example.org/realm", "Federation:Auth:Issuers:0:Issuer")]
    [InlineData("Issuer", "not a url", "Federation:Auth:Issuers:0:Issuer")]
    [InlineData("RoleMap:admins", "emperor", "Federation:Auth:Issuers:0:RoleMap:admins")]
    [InlineData("RoleMap:members", "consortium-member", "Federation:Auth:Issuers:0:RoleMap:members")]
    public void Issuers_BadSetting_RefusedAtStartNamingTheKey(string property, string value, string key)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Federation:Auth:Issuers:0:Name"] = "uni",
            ["Federation:Auth:Issuers:0:Issuer"] = "https://idp.example.org/realm",
            ["Federation:Auth:Issuers:0:Audience"] = "nation",
            [$"Federation:Auth:Issuers:0:{property}"] = value,
        };
        var error = Assert.Throws<OptionsValidationException>(() => SiloHost.Build([], c => c.AddInMemoryCollection(settings)));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
