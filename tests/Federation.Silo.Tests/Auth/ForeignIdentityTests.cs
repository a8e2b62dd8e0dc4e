using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Silo.Api;
using Federation.Silo.Auth.Foreign;

namespace Federation.Silo.Tests.Auth;

/// <summary>
/// The receiving nation's own rules over the identity an origin vouches for in an offer
/// (<c>Federation:Auth:Foreign</c>): each refusal names its rule and configuration key, never the user.
/// </summary>
public sealed class ForeignIdentityTests
{
    private static readonly NationCode s_local = TypedId.Parse<NationCode>("FR");
    private static readonly NationCode s_de = TypedId.Parse<NationCode>("DE");

    internal static JobOffer Offer(string user, string? consortium, VouchedIdentity? identity) => new()
    {
        Job = TypedId.Parse<JobRef>("DE/job-1"),
        Epoch = 1,
        LeaseSeconds = 30,
        Spec = new JobSpec
        {
            Id = "job-1",
            Owner = new JobOwner(user, consortium),
            Purpose = new JobPurpose { Use = ResearchCategory.General },
            Accelerators = new AcceleratorRequest { Count = 1 },
            Work = WorkEstimate.Hours(1, TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm")),
            Walltime = TimeSpan.FromHours(1),
            Workload = new WorkloadCall { Name = "demo-train", Version = "1.0" },
        },
        Identity = identity,
    };

    internal static VouchedIdentity Bob(string origin = "DE", string subject = "uni:bob", string[]? consortia = null, string[]? courses = null, string[]? roles = null) => new()
    {
        Origin = TypedId.Parse<NationCode>(origin),
        Subject = subject,
        Consortia = [.. consortia ?? []],
        Courses = [.. courses ?? []],
        Roles = [.. roles ?? []],
    };

    private static string? RuleOf(JobOffer offer, ForeignIdentityOptions options) => ForeignIdentityCheck.Decide(s_local, s_de, offer, options)?.Rule;

    [Fact]
    public void NoRules_AcceptEveryVouchedIdentity_AndOffersWithoutOne()
    {
        Assert.Null(RuleOf(Offer("uni:bob", "c1", Bob(consortia: ["c1"])), new()));
        Assert.Null(RuleOf(Offer("uni:bob", null, null), new()));
    }

    [Fact]
    public void AnIdentityThatIsNotTheOffers_IsAMismatch_WhateverTheRules()
    {
        Assert.Equal(ForeignIdentityCheck.Mismatch, RuleOf(Offer("uni:bob", null, Bob(origin: "SE")), new()));
        var other = ForeignIdentityCheck.Decide(s_local, s_de, Offer("uni:bob", null, Bob(subject: "uni:carol")), new());
        Assert.Equal(ForeignIdentityCheck.Mismatch, other?.Rule);
        Assert.DoesNotContain("carol", other?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireIdentity_RefusesAnOfferWithoutOne_NamingTheKey()
    {
        var refusal = ForeignIdentityCheck.Decide(s_local, s_de, Offer("uni:bob", null, null), new() { RequireIdentity = true });
        Assert.Equal(ForeignIdentityCheck.Missing, refusal?.Rule);
        Assert.Contains("Federation:Auth:Foreign", refusal?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptConsortia_NeedsTheJobsConsortium_AndItsVouchedMembership()
    {
        var options = new ForeignIdentityOptions { AcceptConsortia = ["c1"] };
        Assert.Null(RuleOf(Offer("uni:bob", "c1", Bob(consortia: ["c1"])), options));
        Assert.Equal(ForeignIdentityCheck.ConsortiumNotAccepted, RuleOf(Offer("uni:bob", "c2", Bob(consortia: ["c2"])), options));
        Assert.Equal(ForeignIdentityCheck.ConsortiumNotAccepted, RuleOf(Offer("uni:bob", null, Bob()), options));
        var unvouched = ForeignIdentityCheck.Decide(s_local, s_de, Offer("uni:bob", "c1", Bob()), options);
        Assert.Equal(ForeignIdentityCheck.ConsortiumNotAccepted, unvouched?.Rule);
        Assert.Contains("did not vouch", unvouched?.Reason, StringComparison.Ordinal);
        Assert.Equal(ForeignIdentityCheck.Missing, RuleOf(Offer("uni:bob", "c1", null), options));
    }

    [Fact]
    public void RefuseConsortia_RefusesTheirJobs()
    {
        var refusal = ForeignIdentityCheck.Decide(s_local, s_de, Offer("uni:bob", "c9", Bob(consortia: ["c9"])), new() { RefuseConsortia = ["c9"] });
        Assert.Equal(ForeignIdentityCheck.ConsortiumRefused, refusal?.Rule);
        Assert.Contains("Federation:Auth:Foreign:RefuseConsortia", refusal?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RefuseStudents_RefusesAStudentRoleOrACourse()
    {
        var options = new ForeignIdentityOptions { RefuseStudents = true };
        Assert.Equal(ForeignIdentityCheck.StudentsRefused, RuleOf(Offer("uni:bob", null, Bob(roles: ["student"])), options));
        Assert.Equal(ForeignIdentityCheck.StudentsRefused, RuleOf(Offer("uni:bob", null, Bob(courses: ["ml-101"])), options));
        Assert.Null(RuleOf(Offer("uni:bob", null, Bob(roles: ["consortium-member"], consortia: ["c1"])), options));
    }

    [Fact]
    public void OriginRules_ReplaceTheNationWideOnes_ForThatOriginOnly()
    {
        var options = new ForeignIdentityOptions { RefuseStudents = true, Origins = { ["DE"] = new ForeignIdentityRules() } };
        Assert.Null(RuleOf(Offer("uni:bob", null, Bob(roles: ["student"])), options));
        var fromSe = ForeignIdentityCheck.Decide(s_local, TypedId.Parse<NationCode>("SE"), Offer("uni:bob", null, Bob(origin: "SE", roles: ["student"])) with { Job = TypedId.Parse<JobRef>("SE/job-1") }, options);
        Assert.Equal(ForeignIdentityCheck.StudentsRefused, fromSe?.Rule);

        var strictDe = new ForeignIdentityOptions { Origins = { ["DE"] = new ForeignIdentityRules { RefuseConsortia = ["c1"] } } };
        var refusal = ForeignIdentityCheck.Decide(s_local, s_de, Offer("uni:bob", "c1", Bob(consortia: ["c1"])), strictDe);
        Assert.Contains("Federation:Auth:Foreign:Origins:DE:RefuseConsortia", refusal?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadlyShapedIdentity_FailsValidation_NamingTheField()
    {
        var errors = new ValidationErrors();
        ForeignIdentityCheck.Validate(Bob(subject: "", consortia: ["c1", null!], courses: [new string('x', 301)]), errors);
        var fields = errors.ToDictionary().Keys.ToList();
        Assert.Contains("identity.subject", fields);
        Assert.Contains("identity.consortia[1]", fields);
        Assert.Contains("identity.courses[0]", fields);

        var many = new ValidationErrors();
        ForeignIdentityCheck.Validate(Bob(roles: [.. Enumerable.Range(0, 65).Select(i => $"r{i}")]), many);
        Assert.Contains("identity.roles", many.ToDictionary().Keys);
    }

    [Fact]
    public void BadOptions_FailAtStart_NamingTheKey()
    {
        var failures = new List<string>();
        ForeignIdentityCheck.ValidateOptions(new ForeignIdentityOptions { AcceptConsortia = ["bad name"], Origins = { ["XX"] = new ForeignIdentityRules() } }, failures);
        Assert.Contains(failures, f => f.StartsWith("Federation:Auth:Foreign:AcceptConsortia", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Federation:Auth:Foreign:Origins:XX", StringComparison.Ordinal));
    }
}
