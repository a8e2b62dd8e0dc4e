using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Federation.Testing;

namespace Federation.Silo.Tests.Auth;

/// <summary>Role grants and API tokens on a PostgreSQL nation (migration 0007): they survive a restart; only hashes are stored.</summary>
public sealed class PeoplePersistenceTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private TestIssuer _issuer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync(nameof(PeoplePersistenceTests));
        _issuer = await TestIssuer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _issuer.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<SiloUnderTest> StartAsync() => SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?>
    {
        ["Federation:Auth:Issuers:0:Name"] = "uni",
        ["Federation:Auth:Issuers:0:Issuer"] = _issuer.Url,
        ["Federation:Auth:Issuers:0:Audience"] = SecuredNation.Audience,
    });

    private static HttpClient Client(SiloUnderTest silo, string token)
    {
        var client = silo.CreateClient(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task GrantAndToken_SiloRestarted_StillHold_AndOnlyTheHashIsStored()
    {
        var nina = _issuer.Issue("nina", SecuredNation.Audience);
        string secret;
        await using (var silo = await StartAsync())
        {
            using var created = await silo.Client.PostAsJsonAsync("/api/v1/roles:grant", new { subject = "uni:nina", role = "auditor" }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var ninaClient = Client(silo, nina);
            using var token = await ninaClient.PostAsJsonAsync("/api/v1/tokens", new { name = "laptop" }, Ct);
            Assert.Equal(HttpStatusCode.Created, token.StatusCode);
            secret = JsonDocument.Parse(await token.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("token").GetString()!;
        }

        Assert.Equal(1, await _database.ScalarAsync("SELECT count(*) FROM role_grant WHERE subject = 'uni:nina' AND role = 'auditor' AND granted_by = 'config:operator'"));
        Assert.Equal(1, await _database.ScalarAsync("SELECT count(*) FROM api_token WHERE subject = 'uni:nina' AND length(sha256) = 32 AND scopes = ARRAY['auditor'] AND granted = ARRAY['auditor']"));
        Assert.Equal(0, await _database.ScalarAsync($"SELECT count(*) FROM api_token WHERE name LIKE '%{secret[^20..]}%' OR id LIKE '%{secret[^20..]}%'"));

        await using (var silo = await StartAsync())
        {
            using var viaToken = Client(silo, secret);
            using var roles = await viaToken.GetAsync("/api/v1/roles", Ct);
            Assert.Equal(HttpStatusCode.OK, roles.StatusCode);

            using var revoked = await silo.Client.PostAsJsonAsync("/api/v1/roles:revoke", new { subject = "uni:nina", role = "auditor" }, Ct);
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
            using var after = await viaToken.GetAsync("/api/v1/roles", Ct);
            Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        }
    }
}
