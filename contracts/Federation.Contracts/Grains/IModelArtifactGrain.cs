using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
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

    /// <summary>
    /// Registers a version pulled from <paramref name="home"/> (its strictly re-read record) with that
    /// nation as its home: its lineage is the home's statement, so it adds no reference to this
    /// nation's datasets or models (a peer cannot pin them) and its base model need not be held here.
    /// </summary>
    [Alias("RegisterFromPeerAsync")]
    Task<CommandResult<ModelArtifactRecord>> RegisterFromPeerAsync(ModelArtifactSpec spec, NationCode home);

    /// <summary>Attaches an evaluation (verified by the caller); the same evaluation id again is unchanged.</summary>
    [Alias("AttachEvaluationAsync")]
    Task<CommandResult<ModelArtifactRecord>> AttachEvaluationAsync(SignedModelEvaluation evaluation);

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
