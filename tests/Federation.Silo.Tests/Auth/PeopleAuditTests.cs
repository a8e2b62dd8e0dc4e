using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Transparency;

namespace Federation.Silo.Tests.Auth;

/// <summary>
/// Role changes, API tokens and sign-ins in the transparency log (issue 16, item 1): an entry per
/// grant and revocation, per token created and revoked, and a sign-in entry the first time a token
/// is seen, not per request. The person is the entry's subject (a digest), never in its detail.
/// </summary>
public sealed class PeopleAuditTests : IAsyncLifetime
{
    private static readonly string[] s_c1 = ["c1"];

    private SecuredNation _nation = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _nation.Silo.Services;

    public async ValueTask InitializeAsync() => _nation = await SecuredNation.StartAsync();

    public async ValueTask DisposeAsync() => await _nation.DisposeAsync();

    [Fact]
    public async Task GrantAndRevoke_AreRoleChangesOfTheSubject()
    {
        using var admin = _nation.Client(_nation.UniToken("ada", groups: ["hpc-admins"]));
        await Http.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/roles:grant", new { subject = "uni:gus", role = "consortium-member", scope = "c9" }, Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/roles:grant", new { subject = "uni:gus", role = "consortium-member", scope = "c9" }, Ct), HttpStatusCode.OK);
        await Http.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/roles:revoke", new { subject = "uni:gus", role = "consortium-member", scope = "c9" }, Ct), HttpStatusCode.NoContent);
        await Http.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/roles:revoke", new { subject = "uni:gus", role = "consortium-member", scope = "c9" }, Ct), HttpStatusCode.NotFound);

        var gus = AuditLog.Digest(Services, "uni:gus");
        var changes = (await AuditLog.EntriesAsync(Services, TransparencyEntryKind.RoleChange)).Where(e => e.Subject == gus).ToList();
        Assert.Equal(["role-granted", "role-revoked"], changes.Select(e => e.Rule));
        Assert.All(changes, e =>
        {
            Assert.Equal("consortium-member", e.Detail["role"]);
            Assert.Equal("c9", e.Detail["scope"]);
            Assert.DoesNotContain(e.Detail.Values, v => v.Contains("gus", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task TokenCreatedAndRevoked_AreLoggedForItsSubject()
    {
        using var olga = _nation.Client(_nation.UniToken("olga", groups: ["hpc-ops"]));
        var created = await Http.ExpectAsync(await olga.PostAsJsonAsync("/api/v1/tokens", new { name = "ci", expiresInDays = 3 }, Ct), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        await Http.ExpectAsync(await olga.PostAsync($"/api/v1/tokens/{id}:revoke", null, Ct), HttpStatusCode.OK);

        var olgaDigest = AuditLog.Digest(Services, "uni:olga");
        var changes = (await AuditLog.EntriesAsync(Services, TransparencyEntryKind.RoleChange)).Where(e => e.Subject == olgaDigest).ToList();
        Assert.Equal(["token-created", "token-revoked"], changes.Select(e => e.Rule));
        Assert.All(changes, e => Assert.Equal(id, e.Detail["token"]));
        Assert.All(changes, e => Assert.Equal("operator", e.Detail["roles"]));
    }

    [Fact]
    public async Task SignIn_IsLoggedOncePerToken_NotPerRequest()
    {
        var token = _nation.UniToken("sia", consortia: ["c1"]);
        using var sia = _nation.Client(token);
        for (var i = 0; i < 3; i++)
        {
            await Http.ExpectAsync(await sia.GetAsync("/api/v1/jobs", Ct), HttpStatusCode.OK);
        }

        var siaDigest = AuditLog.Digest(Services, "uni:sia");
        var signIns = (await AuditLog.EntriesAsync(Services, TransparencyEntryKind.SignIn)).Where(e => e.Subject == siaDigest).ToList();
        var signIn = Assert.Single(signIns);
        Assert.Equal("oidc:uni", signIn.Detail["method"]);

        // A token of another lifetime is another sign-in.
        using var later = _nation.Client(_nation.Uni.Issue("sia", SecuredNation.Audience, new Dictionary<string, object> { ["consortia"] = s_c1 }, expires: DateTime.UtcNow.AddMinutes(30)));
        await Http.ExpectAsync(await later.GetAsync("/api/v1/jobs", Ct), HttpStatusCode.OK);
        Assert.Equal(2, (await AuditLog.EntriesAsync(Services, TransparencyEntryKind.SignIn)).Count(e => e.Subject == siaDigest));

        // A refused token is no sign-in.
        using var expired = _nation.Client(_nation.Uni.Issue("sia", SecuredNation.Audience, expires: DateTime.UtcNow.AddMinutes(-5)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync("/api/v1/jobs", Ct)).StatusCode);
        Assert.Equal(2, (await AuditLog.EntriesAsync(Services, TransparencyEntryKind.SignIn)).Count(e => e.Subject == siaDigest));
    }

    [Fact]
    public async Task ApiTokenSignIn_IsLoggedOnce()
    {
        using var admin = _nation.Client(SiloUnderTestAdmin());
        var created = await Http.ExpectAsync(await admin.PostAsync("/api/v1/tokens", Payloads.Json(new JsonObject { ["name"] = "ci" }), Ct), HttpStatusCode.Created);
        using var viaToken = _nation.Client(created["token"]!.GetValue<string>());
        await Http.ExpectAsync(await viaToken.GetAsync("/api/v1/jobs", Ct), HttpStatusCode.OK);
        await Http.ExpectAsync(await viaToken.GetAsync("/api/v1/jobs", Ct), HttpStatusCode.OK);
        var operatorDigest = AuditLog.Digest(Services, "config:operator");
        var signIn = Assert.Single(await AuditLog.EntriesAsync(Services, TransparencyEntryKind.SignIn), e => e.Subject == operatorDigest);
        Assert.Equal("api-token", signIn.Detail["method"]);
    }

    private static string SiloUnderTestAdmin() => Federation.Testing.SiloUnderTest.AdminToken;
}
