namespace Federation.Contracts.Jobs.Requests;

/// <summary>The owner of a job.</summary>
public sealed class JobOwnerRequest
{
    /// <summary>The submitting user.</summary>
    public string? User { get; set; }

    /// <summary>The consortium, if any.</summary>
    public string? Consortium { get; set; }
}
