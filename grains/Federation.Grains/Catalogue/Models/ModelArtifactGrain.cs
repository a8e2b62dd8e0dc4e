using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Results;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Nations;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Catalogue.Models;

/// <summary>
/// One model artifact with its lineage. Registration first records the model on every local
/// dataset and base model it derives from (idempotently), then stores the model: a crash in
/// between leaves a harmless extra reference, never a model whose sources could be deleted.
/// </summary>
[GrainType("model-artifact")]
public sealed class ModelArtifactGrain(
    [PersistentState("model-artifact", GrainStorageNames.Catalogue)] IPersistentState<ModelArtifactState> state,
    ICatalogueIndex index,
    LocalNation nation,
    TimeProvider time,
    ILogger<ModelArtifactGrain> logger)
    : CatalogueGrain<ModelArtifactState, ModelArtifactRecord>(state, logger), IModelArtifactGrain
{
    private ModelArtifactRecord? Live => Current is { Status: not CatalogueStatus.Deleted } r ? r : null;

    /// <inheritdoc />
    public Task<ModelArtifactRecord?> GetAsync() => Task.FromResult(Live);

    /// <inheritdoc />
    public async Task<CommandResult<ModelArtifactRecord>> RegisterAsync(ModelArtifactSpec spec)
    {
        if (Live is { } existing)
        {
            return existing.Spec == spec
                ? CommandResult.Unchanged(existing)
                : CommandResult.Refused(CommandStatus.Conflict, $"model {spec.Ref} is already registered (version {existing.Version}); register a new version, or change metrics with PUT and If-Match", existing);
        }

        var referrer = References.OfModel(spec.Ref);
        for (var i = 0; i < spec.Lineage.Datasets.Length; i++)
        {
            var source = spec.Lineage.Datasets[i];
            if (source.Nation != nation.Code)
            {
                continue;
            }

            var added = await GrainFactory.GetGrain<IDatasetGrain>(source.Dataset.GrainKey).AddReferenceAsync(referrer);
            if (added.Status == CommandStatus.NotFound)
            {
                return CommandResult.Refused<ModelArtifactRecord>(CommandStatus.Invalid, $"dataset {source} is not registered in {nation.Code}", field: $"lineage.datasets[{i}]");
            }
        }

        if (spec.BaseModel is { } baseModel)
        {
            var added = await GrainFactory.GetGrain<IModelArtifactGrain>(baseModel.GrainKey).AddReferenceAsync(referrer);
            if (added.Status == CommandStatus.NotFound)
            {
                return CommandResult.Refused<ModelArtifactRecord>(CommandStatus.Invalid, $"base model {baseModel} is not registered in {nation.Code}", field: "baseModel");
            }
        }

        var now = time.GetUtcNow();
        var record = new ModelArtifactRecord
        {
            Spec = spec,
            HomeNation = nation.Code,
            Status = CatalogueStatus.Active,
            Version = (Current?.Version ?? 0) + 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return CommandResult.Created(await CommitAsync(record));
    }

    /// <inheritdoc />
    public async Task<CommandResult<ModelArtifactRecord>> RegisterFromPeerAsync(ModelArtifactSpec spec, NationCode home)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (home == nation.Code)
        {
            return CommandResult.Refused<ModelArtifactRecord>(CommandStatus.Invalid, $"a version pulled from a peer has that peer as its home, not {nation.Code}", field: "from");
        }

        if (Live is { } existing)
        {
            return existing.Spec == spec && existing.HomeNation == home
                ? CommandResult.Unchanged(existing)
                : CommandResult.Refused(CommandStatus.Conflict, $"model {spec.Ref} is already registered here with home {existing.HomeNation} (version {existing.Version}); {home}'s record differs", existing);
        }

        var now = time.GetUtcNow();
        return CommandResult.Created(await CommitAsync(new ModelArtifactRecord
        {
            Spec = spec,
            HomeNation = home,
            Status = CatalogueStatus.Active,
            Version = (Current?.Version ?? 0) + 1,
            CreatedAt = now,
            UpdatedAt = now,
        }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<ModelArtifactRecord>> UpdateAsync(ModelArtifactSpec spec, int expectedVersion)
    {
        if (Check(expectedVersion) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        var fixedField = current.Spec.Sha256 != spec.Sha256 ? "sha256"
            : current.Spec.SizeBytes != spec.SizeBytes ? "sizeBytes"
            : current.Spec.Format != spec.Format ? "format"
            : current.Spec.BaseModel != spec.BaseModel ? "baseModel"
            : current.Spec.Lineage != spec.Lineage ? "lineage"
            : null;
        if (fixedField is not null)
        {
            return CommandResult.Refused(CommandStatus.Invalid, $"{fixedField} of a registered model never changes; register a new version instead", current, fixedField);
        }

        if (current.Spec == spec)
        {
            return CommandResult.Unchanged(current);
        }

        return CommandResult.Ok(await CommitAsync(current with { Spec = spec, Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<ModelArtifactRecord>> WithdrawAsync(string reason, int? expectedVersion)
    {
        if (Check(expectedVersion) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        if (current.Status == CatalogueStatus.Withdrawn)
        {
            return CommandResult.Unchanged(current);
        }

        return CommandResult.Ok(await CommitAsync(current with { Status = CatalogueStatus.Withdrawn, StatusReason = reason, Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<ModelArtifactRecord>> DeleteAsync(int? expectedVersion)
    {
        if (Check(expectedVersion) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        if (current.ReferencedBy.Length > 0)
        {
            return CommandResult.Refused(
                CommandStatus.Conflict,
                $"model {current.Spec.Ref} is the base of {string.Join(", ", current.ReferencedBy)}; withdraw it instead (it stays resolvable for lineage)",
                current);
        }

        return CommandResult.Ok(await CommitAsync(current with { Status = CatalogueStatus.Deleted, Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<ModelArtifactRecord>> AttachEvaluationAsync(SignedModelEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (Live is not { } current)
        {
            return CommandResult.Refused<ModelArtifactRecord>(CommandStatus.NotFound, $"model {this.GetPrimaryKeyString()} is not registered");
        }

        var held = current.Evaluations.IsDefault ? [] : current.Evaluations;
        if (held.Any(e => e.Evaluation.Id == evaluation.Evaluation.Id && e.Evaluation.Nation == evaluation.Evaluation.Nation))
        {
            return CommandResult.Unchanged(current);
        }

        return CommandResult.Ok(await CommitAsync(current with { Evaluations = held.Add(evaluation), Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<ModelArtifactRecord>> AddReferenceAsync(string referrer)
    {
        if (Live is not { } current)
        {
            return CommandResult.Refused<ModelArtifactRecord>(CommandStatus.NotFound, $"model {this.GetPrimaryKeyString()} is not registered");
        }

        if (current.ReferencedBy.Contains(referrer))
        {
            return CommandResult.Unchanged(current);
        }

        return CommandResult.Ok(await CommitAsync(current with { ReferencedBy = References.With(current.ReferencedBy, referrer), Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }));
    }

    /// <inheritdoc />
    public Task RepublishAsync() => RepublishCurrentAsync();

    /// <inheritdoc />
    protected override Task ProjectAsync(ModelArtifactRecord record, CancellationToken cancellationToken) =>
        index.UpsertModelAsync(record, cancellationToken);

    private CommandResult<ModelArtifactRecord>? Check(int? expectedVersion)
    {
        if (Live is not { } current)
        {
            return CommandResult.Refused<ModelArtifactRecord>(CommandStatus.NotFound, $"model {ModelRef.FromGrainKey(this.GetPrimaryKeyString())} is not registered");
        }

        return expectedVersion is { } v && v != current.Version
            ? CommandResult.Refused(CommandStatus.VersionMismatch, $"version {v} is stale: the model is at version {current.Version}; GET it again and retry", current)
            : null;
    }
}
