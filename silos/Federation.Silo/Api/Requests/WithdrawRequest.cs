namespace Federation.Silo.Api.Requests;

/// <summary>Body of the withdraw actions.</summary>
public sealed class WithdrawRequest
{
    /// <summary>Why the entry is withdrawn (kept on the record).</summary>
    public string? Reason { get; set; }
}
