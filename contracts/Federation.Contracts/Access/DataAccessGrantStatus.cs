namespace Federation.Contracts.Access;

/// <summary>Where a data-access grant is in its life: requested, approved (signed), or revoked.</summary>
public enum DataAccessGrantStatus
{
    /// <summary>Asked for; not yet decided by the data access committee.</summary>
    Requested = 0,

    /// <summary>Approved and signed by the committee's key; valid until it expires or is revoked.</summary>
    Approved = 1,

    /// <summary>Revoked by the committee: refused from then on.</summary>
    Revoked = 2,
}
