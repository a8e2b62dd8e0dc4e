namespace Federation.Contracts.Jobs.Requests;

/// <summary>A round policy: <c>{"onFailure": "wait", "waitMinutes": 60}</c>.</summary>
public sealed class RoundPolicyRequest
{
    /// <summary><c>wait</c>, <c>skipNation</c> or <c>stop</c>.</summary>
    public string? OnFailure { get; set; }

    /// <summary>The longest a round waits for a nation, 1 to 10080 minutes (7 days); 60 when left out.</summary>
    public double? WaitMinutes { get; set; }
}
