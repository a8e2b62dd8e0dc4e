namespace Federation.Contracts.Jobs.Requests;

/// <summary>A stopping rule: <c>{"rule": "rounds"}</c> or <c>{"rule": "validationLoss", "minLossChange": 0.001}</c>.</summary>
public sealed class StoppingRequest
{
    /// <summary><c>rounds</c> or <c>validationLoss</c>.</summary>
    public string? Rule { get; set; }

    /// <summary>For <c>validationLoss</c>: stop when the loss changes by less than this between rounds (more than 0).</summary>
    public double? MinLossChange { get; set; }
}
