using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>
/// The model a federated job registers at its aggregating nation when it succeeds
/// (<c>"output": {"model": "outcome-model@1.0.0", "licence": "CC-BY-4.0"}</c>). Left out, or with no
/// model, the name is derived from the job: <c>fed-ORIGIN-ID@1.0.0</c> in lower case (docs/federated.md, "The final model").
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.FederatedOutput")]
public sealed record FederatedOutput
{
    /// <summary>The model's name and version (<c>name@version</c>); null to derive it from the job id.</summary>
    [Id(0)] public ModelRef? Model { get; init; }

    /// <summary>The model's licence (SPDX); null for <c>NOASSERTION</c>.</summary>
    [Id(1)] public SpdxExpression? Licence { get; init; }

    /// <summary>What the model is for, shown on its card as its intended use.</summary>
    [Id(2)] public string Description { get; init; } = "";
}
