using System.Text.Json;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Nations;
using Federation.Protocol.Wire;
using Federation.Silo.Auth;
using Federation.Silo.Auth.Grants;
using Federation.Silo.Auth.Vouching;
using Federation.Silo.Jobs;
using Federation.Testing;
using Federation.Transparency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Auth;

/// <summary>
/// Across borders: the origin vouches for its user in the offer (what it knows of the owner), and
/// the receiver applies <c>Federation:Auth:Foreign</c> to it when the offer arrives: a refused
/// identity is a refused admission naming the rule, and a refusal in the receiver's log.
/// </summary>
public sealed class ForeignOfferTests : IAsyncLifetime
{
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
    {
        ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
        ["Federation:Auth:Foreign:RefuseStudents"] = "true",
        ["Federation:Auth:Foreign:RefuseConsortia:0"] = "c9",
    });

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    private NationCode Foreign => _silo.Services.GetRequiredService<LocalNation>().Code.Value == "DE" ? TypedId.Parse<NationCode>("SE") : TypedId.Parse<NationCode>("DE");

    private OfferRequest Body(string id, string user, string? consortium, VouchedIdentity? identity)
    {
        var json = JsonSerializer.Serialize(new
        {
            job = $"{Foreign}/{id}",
            epoch = 1,
            leaseSeconds = 30,
            spec = new
            {
                id,
                owner = new { user, consortium },
                purpose = new { use = "GRU" },
                accelerators = new { count = 1 },
                work = new { acceleratorHours = 1, referenceAccelerator = "a100-80gb-sxm" },
                walltimeMinutes = 60,
                workload = new { name = "demo-train", version = "1.0" },
            },
            identity,
        }, FederationJson.Options);
        return JsonSerializer.Deserialize<OfferRequest>(json, FederationJson.Options)!;
    }

    private async Task<Admission> OfferAsync(OfferRequest body)
    {
        var result = await JobFederationEndpoints.HandleOfferAsync(body, Foreign, _silo.Services);
        return Assert.IsType<Ok<Admission>>(result).Value!;
    }

    [Fact]
    public async Task AStudentFromAbroad_IsRefusedByTheRule_AndLogged()
    {
        var identity = ForeignIdentityTests.Bob(origin: Foreign.Value, courses: ["ml-101"], roles: ["student"]);
        var admission = await OfferAsync(Body("stu-1", "uni:bob", null, identity));

        Assert.False(admission.Admitted);
        Assert.StartsWith("foreign-students-refused: ", admission.Reason, StringComparison.Ordinal);
        Assert.Contains("Federation:Auth:Foreign:RefuseStudents", admission.Reason, StringComparison.Ordinal);
        var entry = Assert.Single(await AuditLog.EntriesAsync(_silo.Services, TransparencyEntryKind.Refusal), e => e.Job == $"{Foreign}/stu-1");
        Assert.Equal("foreign-students-refused", entry.Rule);
        Assert.Equal(Foreign.Value, entry.Peer);
        Assert.Equal(AuditLog.Digest(_silo.Services, "uni:bob"), entry.Subject);
    }

    [Fact]
    public async Task ARefusedConsortium_IsRefused_AnAcceptedIdentityGoesOnToAdmission()
    {
        var refused = await OfferAsync(Body("c9-1", "uni:bob", "c9", ForeignIdentityTests.Bob(origin: Foreign.Value, consortia: ["c9"])));
        Assert.StartsWith("foreign-consortium-refused: ", refused.Reason, StringComparison.Ordinal);

        // Past the identity rules, the nation's admission decides (no accelerators here: refused for that, not for who asks).
        var decided = await OfferAsync(Body("c1-1", "uni:bob", "c1", ForeignIdentityTests.Bob(origin: Foreign.Value, consortia: ["c1"])));
        Assert.DoesNotContain("foreign-", decided.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await AuditLog.EntriesAsync(_silo.Services, TransparencyEntryKind.Refusal), e => e.Job == $"{Foreign}/c1-1" && e.Rule!.StartsWith("foreign-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIdentityOfAnotherUser_IsAMismatch_ABadOneA400()
    {
        var mismatch = await OfferAsync(Body("mm-1", "uni:bob", null, ForeignIdentityTests.Bob(origin: Foreign.Value, subject: "uni:carol")));
        Assert.StartsWith("foreign-identity-mismatch: ", mismatch.Reason, StringComparison.Ordinal);

        var result = await JobFederationEndpoints.HandleOfferAsync(Body("bad-1", "uni:bob", null, ForeignIdentityTests.Bob(origin: Foreign.Value, subject: "")), Foreign, _silo.Services);
        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(400, problem.StatusCode);
        Assert.Contains("identity.subject", JsonSerializer.Serialize(problem.ProblemDetails, FederationJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOrigin_VouchesForWhatItKnowsOfTheOwner()
    {
        var services = _silo.Services;
        await services.GetRequiredService<IRoleGrantStore>().GrantAsync(new RoleGrant("uni:vic", Roles.Student, "ml-101", "test", DateTimeOffset.UtcNow), Ct);
        var principal = await CallerIdentities.BuildAsync("uni:vic", "vic", "oidc:uni", [(Roles.ConsortiumMember, "c1")], grants: null, Ct);
        await services.GetRequiredService<SignIns>().SeenAsync(principal, DateTimeOffset.UtcNow.AddMinutes(10), Ct);

        var vouched = await services.GetRequiredService<OfferVoucher>().VouchAsync(ForeignIdentityTests.Offer("uni:vic", "c2", null), Ct);

        var identity = Assert.IsType<VouchedIdentity>(vouched.Identity);
        Assert.Equal(services.GetRequiredService<LocalNation>().Code, identity.Origin);
        Assert.Equal("uni:vic", identity.Subject);
        Assert.Equal(["c1", "c2"], identity.Consortia);
        Assert.Equal(["ml-101"], identity.Courses);
        Assert.Equal([Roles.ConsortiumMember, Roles.Student], identity.Roles);
        Assert.True(identity.IsStudent);

        // Nothing known of a user but the job: the job's consortium only.
        var bare = (await services.GetRequiredService<OfferVoucher>().VouchAsync(ForeignIdentityTests.Offer("uni:nobody", null, null), Ct)).Identity!;
        Assert.Empty(bare.Consortia);
        Assert.Empty(bare.Roles);
        Assert.False(bare.IsStudent);
    }
}
