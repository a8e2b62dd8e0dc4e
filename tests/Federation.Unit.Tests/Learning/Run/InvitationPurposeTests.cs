using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;
using Federation.Routing.Trust;

namespace Federation.Unit.Tests.Learning.Run;

/// <summary>The job's purpose on a federated run's invitation: carried by the codec, read strictly, and checked by the contributor against its own dataset's conditions.</summary>
public sealed class InvitationPurposeTests
{
    private static readonly JobRef s_job = TypedId.Parse<JobRef>("DE/fed-purpose");
    private static readonly NationCode s_de = TypedId.Parse<NationCode>("DE");
    private static readonly NationCode s_fr = TypedId.Parse<NationCode>("FR");
    private static readonly DatasetRef s_dataset = TypedId.Parse<DatasetRef>("FR/patient-outcomes");
    private static readonly DateOnly s_today = new(2026, 12, 6);
    private static readonly JobOwner s_owner = new("alice@example.org", "onco-eu");

    private static readonly FederatedSpec s_terms = new()
    {
        Training = new WorkloadCall { Name = "train", Version = "1.0" },
        Rounds = 8,
        RoundPolicy = new FederatedRoundPolicy { OnFailure = RoundFailurePolicy.Stop },
    };

    private static readonly JobPurpose s_hmb = new() { Use = ResearchCategory.HealthMedicalBiomedical, Project = "outcome-model" };

    private static RunInvitation Invitation(JobPurpose? purpose, JobOwner? owner) =>
        new(s_job, s_de, [s_dataset], s_terms) { Purpose = purpose, Owner = owner };

    private static object Carry(RunInvitation invitation)
    {
        var json = JsonSerializer.Serialize(RoundMessageCodec.Write(s_de, invitation), FederationJson.Options);
        return RoundMessageCodec.Read(s_de, JsonSerializer.Deserialize<RoundMessageDocument>(json, FederationJson.Options));
    }

    private static DataUseConditions Conditions(DuoPermission permission, string? disease = null, params DuoModifier[] modifiers) =>
        new(permission, disease, [.. modifiers], [], [], [], [], null, null);

    [Fact]
    public void Codec_CarriesThePurposeAndOwnerOfTheInvitation()
    {
        var read = Assert.IsType<RunInvitation>(Carry(Invitation(s_hmb, s_owner)));

        Assert.Equal(s_hmb, read.Purpose);
        Assert.Equal(s_owner, read.Owner);
        Assert.Equal([s_dataset], read.Datasets);
    }

    [Theory]
    [InlineData("purpose", "purpose: is required")]
    [InlineData("owner", "owner: is required")]
    [InlineData("project", "purpose.project: must not hold control characters")]
    [InlineData("institution", "purpose.institution: must be 1 to 200 characters")]
    [InlineData("user", "owner.user: must be 1 to 200 characters")]
    [InlineData("ds", "purpose.diseaseTerm: is required when the use is DS")]
    public void Codec_RefusesAnInvitationWhosePurposeOrOwnerIsMissingOrOutOfBounds_NamingTheField(string fault, string expected)
    {
        var invitation = fault switch
        {
            "purpose" => Invitation(null, s_owner),
            "owner" => Invitation(s_hmb, null),
            "project" => Invitation(s_hmb with { Project = "outcome\u0007model" }, s_owner),
            "institution" => Invitation(s_hmb with { Institution = new string('x', 201) }, s_owner),
            "user" => Invitation(s_hmb, s_owner with { User = new string('u', 201) }),
            _ => Invitation(new JobPurpose { Use = ResearchCategory.DiseaseSpecific }, s_owner),
        };

        var refused = Assert.Throws<RoundMessageRefusedException>(() => Carry(invitation));

        Assert.Equal(RefusalReason.Malformed, refused.Reason);
        Assert.StartsWith(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PurposeTheConditionsAllow_HasNoReason()
    {
        Assert.Empty(InvitationDataUseCheck.Check(s_dataset, Conditions(DuoPermission.HMB), s_hmb, s_owner, s_fr, s_today));
        Assert.Empty(InvitationDataUseCheck.Check(s_dataset, Conditions(DuoPermission.HMB, null, DuoModifier.IRB),
            s_hmb with { EthicsApprovalReference = "IRB-2026-17" }, s_owner, s_fr, s_today));
    }

    [Fact]
    public void Check_PurposeTheConditionsDoNotAllow_NamesTheDatasetAndTheUnmetTerm()
    {
        var irb = InvitationDataUseCheck.Check(s_dataset, Conditions(DuoPermission.HMB, null, DuoModifier.IRB), s_hmb, s_owner, s_fr, s_today);
        var disease = InvitationDataUseCheck.Check(s_dataset, Conditions(DuoPermission.DS, "MONDO:0004992"), s_hmb, s_owner, s_fr, s_today);
        var commercial = InvitationDataUseCheck.Check(s_dataset, Conditions(DuoPermission.HMB, null, DuoModifier.NCU), s_hmb with { Commercial = true }, s_owner, s_fr, s_today);

        var reason = Assert.Single(irb);
        Assert.StartsWith("dataset FR/patient-outcomes: IRB", reason, StringComparison.Ordinal);
        Assert.StartsWith("dataset FR/patient-outcomes: DS", Assert.Single(disease), StringComparison.Ordinal);
        Assert.StartsWith("dataset FR/patient-outcomes: NCU", Assert.Single(commercial), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InvitationWithoutPurpose_IsRefusedRatherThanTrusted()
    {
        var reasons = InvitationDataUseCheck.Check(s_dataset, DataUseConditions.Unrestricted, null, s_owner, s_fr, s_today);

        Assert.Equal(["dataset FR/patient-outcomes: the invitation states no purpose and owner, so FR cannot check its data-use conditions"], reasons);
    }

    [Fact]
    public void Check_UsersModifier_ReadsTheOwnerOnTheInvitation()
    {
        var conditions = new DataUseConditions(DuoPermission.HMB, null, [DuoModifier.US], [], [], ImmutableArray.Create("bob@example.org"), [], null, null);

        Assert.NotEmpty(InvitationDataUseCheck.Check(s_dataset, conditions, s_hmb, s_owner, s_fr, s_today));
        Assert.Empty(InvitationDataUseCheck.Check(s_dataset, conditions, s_hmb, s_owner with { User = "bob@example.org" }, s_fr, s_today));
    }
}
