using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Results;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>One model artifact of this nation (key: <see cref="Ids.ModelRef.GrainKey"/>).</summary>
[Alias("fed.IModelArtifactGrain"), GrainInterfaceType("fed.IModelArtifactGrain")]
public interface IModelArtifactGrain : IGrainWithStringKey
{
    /// <summary>The model, or null when never registered or deleted. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly]
    Task<ModelArtifactRecord?> GetAsync();

    /// <summary>Registers the model and records it on the datasets and base model it derives from.</summary>
    [Alias("RegisterAsync")]
    Task<CommandResult<ModelArtifactRecord>> RegisterAsync(ModelArtifactSpec spec);

    /// <summary>Replaces metrics, description and figures when <paramref name="expectedVersion"/> is current; lineage and digest are fixed.</summary>
    [Alias("UpdateAsync")]
    Task<CommandResult<ModelArtifactRecord>> UpdateAsync(ModelArtifactSpec spec, int expectedVersion);

    /// <summary>Withdraws the model; it stays resolvable for lineage.</summary>
    [Alias("WithdrawAsync")]
    Task<CommandResult<ModelArtifactRecord>> WithdrawAsync(string reason, int? expectedVersion);

    /// <summary>Deletes the model unless another model derives from it.</summary>
    [Alias("DeleteAsync")]
    Task<CommandResult<ModelArtifactRecord>> DeleteAsync(int? expectedVersion);

    /// <summary>Records that <paramref name="referrer"/> derives from this model.</summary>
    [Alias("AddReferenceAsync")]
    Task<CommandResult<ModelArtifactRecord>> AddReferenceAsync(string referrer);

    /// <summary>Writes the current state to the read model again (rebuild).</summary>
    [Alias("RepublishAsync")]
    Task RepublishAsync();
}
