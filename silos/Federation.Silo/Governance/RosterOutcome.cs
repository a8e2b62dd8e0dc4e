namespace Federation.Silo.Governance;

/// <summary>What became of a roster version offered to this nation.</summary>
public enum RosterOutcome
{
    /// <summary>It was the valid successor and is now in force.</summary>
    Applied,

    /// <summary>It is already in force (offered again): nothing changed.</summary>
    AlreadyInForce,

    /// <summary>It was refused; the roster in force is kept.</summary>
    Refused,
}
