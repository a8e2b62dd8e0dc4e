using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Silo.Auth.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Auth;

/// <summary>API tokens (created, shown once, stored hashed, scoped, revoked) and role grants (issue 16, item 1).</summary>
public sealed class PeopleApiTests : IAsyncLifetime
{
    private static readonly string[] s_memberOfC1 = ["consortium-member:c1"];
    private static readonly string[] s_nationAdmin = ["nation-admin"];

    private SecuredNation _nation = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _nation = await SecuredNation.StartAsync();

    public async ValueTask DisposeAsync() => await _nation.DisposeAsync();

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Token_Created_WorksWithItsScopesOnly_StoredHashed_UntilRevoked()
    {
        using var ops = _nation.Client(_nation.UniToken("olga", groups: ["hpc-ops"], consortia: ["c1"]));
        var created = await ReadAsync(await ops.PostAsJsonAsync("/api/v1/tokens", new { name = "ci", scopes = s_memberOfC1, expiresInDays = 7 }, Ct), HttpStatusCode.Created);
        var secret = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("fedtok_", secret, StringComparison.Ordinal);

        var stored = await _nation.Silo.Services.GetRequiredService<IApiTokenStore>().ListAsync("uni:olga", Ct);
        Assert.DoesNotContain(stored, t => t.Sha256.Length != 32 || System.Text.Encoding.UTF8.GetString(t.Sha256).Contains(secret, StringComparison.Ordinal));

        using var viaToken = _nation.Client(secret);
        await ReadAsync(await viaToken.GetAsync("/api/v1/jobs", Ct), HttpStatusCode.OK);
        var refused = await ReadAsync(await viaToken.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("via-token")), Ct), HttpStatusCode.Forbidden);
        Assert.Contains("operator", refused.GetProperty("rule").GetString(), StringComparison.Ordinal);

        var listed = await ReadAsync(await ops.GetAsync("/api/v1/tokens", Ct), HttpStatusCode.OK);
        Assert.Single(listed.EnumerateArray());
        Assert.All(listed.EnumerateArray(), t => Assert.False(t.TryGetProperty("token", out var shown) && shown.ValueKind != JsonValueKind.Null, $"a listed token shows its secret: {t}"));

        await ReadAsync(await ops.PostAsync($"/api/v1/tokens/{id}:revoke", null, Ct), HttpStatusCode.OK);
        var after = await ReadAsync(await viaToken.GetAsync("/api/v1/jobs", Ct), HttpStatusCode.Unauthorized);
        Assert.Equal("revoked", after.GetProperty("check").GetString());
    }

    [Fact]
    public async Task Token_WithARoleTheCallerLacks_Is400NamingTheScope()
    {
        using var mia = _nation.Client(_nation.UniToken("mia", consortia: ["c1"]));
        var problem = await ReadAsync(await mia.PostAsJsonAsync("/api/v1/tokens", new { name = "x", scopes = s_nationAdmin }, Ct), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("scopes[0]", out _), problem.ToString());
        var days = await ReadAsync(await mia.PostAsJsonAsync("/api/v1/tokens", new { name = "x", expiresInDays = 400 }, Ct), HttpStatusCode.BadRequest);
        Assert.True(days.GetProperty("errors").TryGetProperty("expiresInDays", out _), days.ToString());
    }

    [Fact]
    public async Task Grant_GivesConsortiumMembership_RevokeTakesItAway_AndATokenFromItStopsToo()
    {
        using var admin = _nation.Client(_nation.UniToken("ada", groups: ["hpc-admins"]));
        using var lead = _nation.Client(_nation.UniToken("lea", leads: ["c1"]));
        using var member = _nation.Client(_nation.UniToken("mia", consortia: ["c1"]));
        using var newcomer = _nation.Client(_nation.UniToken("nina"));

        var refused = await ReadAsync(await member.PostAsJsonAsync("/api/v1/roles:grant", new { subject = "uni:nina", role = "consortium-member", scope = "c1" }, Ct), HttpStatusCode.Forbidden);
        Assert.Contains("consortium lead", refused.GetProperty("rule").GetString(), StringComparison.Ordinal);
        await ReadAsync(await lead.PostAsJsonAsync("/api/v1/roles:grant", new { subject = "uni:nina", role = "consortium-member", scope = "c2" }, Ct), HttpStatusCode.Forbidden);
        await ReadAsync(await lead.PostAsJsonAsync("/api/v1/roles:grant", new { subject = "uni:nina", role = "consortium-member", scope = "c1" }, Ct), HttpStatusCode.Created);

        var job = new JsonObject
        {
            ["id"] = "nina-1",
            ["owner"] = new JsonObject { ["user"] = "uni:nina", ["consortium"] = "c1" },
            ["purpose"] = new JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new JsonObject { ["count"] = 1 },
            ["work"] = new JsonObject { ["acceleratorHours"] = 2, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = 600,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        };
        var secret = (await ReadAsync(await newcomer.PostAsJsonAsync("/api/v1/tokens", new { name = "nina-cli" }, Ct), HttpStatusCode.Created)).GetProperty("token").GetString()!;

        var grants = await ReadAsync(await admin.GetAsync("/api/v1/roles?role=consortium-member", Ct), HttpStatusCode.OK);
        Assert.Contains(grants.EnumerateArray(), g => g.GetProperty("subject").GetString() == "uni:nina" && g.GetProperty("grantedBy").GetString() == "uni:lea");
        await ReadAsync(await member.GetAsync("/api/v1/roles", Ct), HttpStatusCode.Forbidden);

        await ReadAsync(await admin.PostAsJsonAsync("/api/v1/roles:revoke", new { subject = "uni:nina", role = "consortium-member", scope = "c1" }, Ct), HttpStatusCode.NoContent);
        using var viaToken = _nation.Client(secret);
        var problem = await ReadAsync(await viaToken.PostAsync("/api/v1/jobs", Payloads.Json(job), Ct), HttpStatusCode.Forbidden);
        Assert.Contains("submitting jobs needs", problem.GetProperty("rule").GetString(), StringComparison.Ordinal);
        await ReadAsync(await admin.PostAsJsonAsync("/api/v1/roles:revoke", new { subject = "uni:nina", role = "consortium-member", scope = "c1" }, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Grant_BadRoleOrScope_Is400NamingTheField()
    {
        using var admin = _nation.Client(_nation.UniToken("ada", groups: ["hpc-admins"]));
        var role = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/roles:grant", new { subject = "uni:x", role = "emperor" }, Ct), HttpStatusCode.BadRequest);
        Assert.True(role.GetProperty("errors").TryGetProperty("role", out _), role.ToString());
        var scope = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/roles:grant", new { subject = "uni:x", role = "consortium-member" }, Ct), HttpStatusCode.BadRequest);
        Assert.True(scope.GetProperty("errors").TryGetProperty("scope", out _), scope.ToString());
    }
}
