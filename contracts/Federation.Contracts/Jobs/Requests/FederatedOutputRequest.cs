namespace Federation.Contracts.Jobs.Requests;

/// <summary>The model a federated job registers when it succeeds: <c>{"model": "outcome-model@1.0.0", "licence": "CC-BY-4.0"}</c>.</summary>
public sealed class FederatedOutputRequest
{
    /// <summary>The model's name and version, <c>name@version</c>; derived from the job id when left out.</summary>
    public string? Model { get; set; }

    /// <summary>The model's licence, an SPDX identifier or expression; <c>NOASSERTION</c> when left out.</summary>
    public string? Licence { get; set; }

    /// <summary>What the model is for (its card's intended use), at most 4000 characters.</summary>
    public string? Description { get; set; }
}
