namespace Federation.Contracts.Access;

/// <summary>Body of <c>POST /api/v1/datasets/{id}/grants/requests</c>: ask the data access committee for access.</summary>
public sealed class DataAccessGrantRequest
{
    /// <summary>The user to be granted; left out: the caller (only a nation admin may name someone else).</summary>
    public string? User { get; set; }

    /// <summary>A consortium to be granted instead of a user (the caller must be a member or its lead).</summary>
    public string? Consortium { get; set; }

    /// <summary>The nation that vouches for the user or consortium; left out: this nation (only a nation admin may name another).</summary>
    public string? Nation { get; set; }

    /// <summary>The purpose: GRU, HMB, DS, POA or CC.</summary>
    public string? Purpose { get; set; }

    /// <summary>For DS: the disease term, e.g. MONDO:0004992.</summary>
    public string? DiseaseTerm { get; set; }

    /// <summary>Why the data is needed (up to 2000 characters).</summary>
    public string? Justification { get; set; }
}
