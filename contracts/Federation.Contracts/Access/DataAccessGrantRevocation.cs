namespace Federation.Contracts.Access;

/// <summary>Body of <c>POST /api/v1/grants/{id}:revoke</c> (may be empty).</summary>
public sealed class DataAccessGrantRevocation
{
    /// <summary>Why (kept in the transparency log, up to 500 characters).</summary>
    public string? Reason { get; set; }
}
