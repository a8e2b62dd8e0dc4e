namespace Federation.Contracts.Access;

/// <summary>Body of <c>POST /api/v1/grants/{id}:approve</c>.</summary>
public sealed class DataAccessGrantApproval
{
    /// <summary>How long the grant holds, 1 to 1825 days; left out: 365.</summary>
    public int? ValidDays { get; set; }
}
