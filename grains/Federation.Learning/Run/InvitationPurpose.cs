using Federation.Contracts.Jobs;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>
/// The strict reader of an invitation's purpose and owner: both required, the use a known DUO category (DS with a
/// disease term), every text 1 to <see cref="MaxText"/> characters without control characters. A bad value throws
/// <see cref="RoundMessageRefusedException"/> (<see cref="RefusalReason.Malformed"/>) naming the field.
/// </summary>
public static class InvitationPurpose
{
    /// <summary>The longest text of a purpose or owner (the user API's bound on the same fields).</summary>
    public const int MaxText = 200;

    /// <summary>Checks <paramref name="purpose"/> and <paramref name="owner"/>; returns them when they may be used.</summary>
    public static (JobPurpose Purpose, JobOwner Owner) Read(JobPurpose? purpose, JobOwner? owner)
    {
        if (purpose is null)
        {
            throw Bad("purpose", "is required: the contributor checks it against its own datasets' data-use conditions");
        }

        if (!Enum.IsDefined(purpose.Use))
        {
            throw Bad("purpose.use", "must be GRU, HMB, DS, POA or CC");
        }

        Text(purpose.DiseaseTerm, "purpose.diseaseTerm");
        Text(purpose.EthicsApprovalReference, "purpose.ethicsApprovalReference");
        Text(purpose.Institution, "purpose.institution");
        Text(purpose.Project, "purpose.project");
        if (purpose.Use == ResearchCategory.DiseaseSpecific && purpose.DiseaseTerm is null)
        {
            throw Bad("purpose.diseaseTerm", "is required when the use is DS");
        }

        if (owner is null)
        {
            throw Bad("owner", "is required: the data-use conditions may name users");
        }

        if (owner.User is null)
        {
            throw Bad("owner.user", "is required");
        }

        Text(owner.User, "owner.user");
        Text(owner.Consortium, "owner.consortium");
        return (purpose, owner);
    }

    private static void Text(string? value, string field)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length is 0 or > MaxText)
        {
            throw Bad(field, $"must be 1 to {MaxText} characters");
        }

        if (value.Any(char.IsControl))
        {
            throw Bad(field, "must not hold control characters");
        }
    }

    private static RoundMessageRefusedException Bad(string field, string rule) => new(RefusalReason.Malformed, $"{field}: {rule}.");
}
