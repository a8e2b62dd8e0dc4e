namespace Federation.Silo.Auth.Foreign;

/// <summary>
/// What this nation accepts of the identities other nations vouch for in their offers
/// (<c>Federation:Auth:Foreign</c>, and per origin under <c>Federation:Auth:Foreign:Origins:{code}</c>).
/// Empty lists and false switches accept everyone an origin vouches for.
/// </summary>
public class ForeignIdentityRules
{
    /// <summary>Refuse offers whose origin vouches for nobody (older peers send no identity).</summary>
    public bool RequireIdentity { get; set; }

    /// <summary>When not empty: a foreign job must be submitted for one of these consortia, the origin vouching for the user's membership.</summary>
    public List<string> AcceptConsortia { get; set; } = [];

    /// <summary>Consortia whose foreign jobs this nation refuses.</summary>
    public List<string> RefuseConsortia { get; set; } = [];

    /// <summary>Refuse users the origin vouches for as students (the student role or a course).</summary>
    public bool RefuseStudents { get; set; }
}
