using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Results;
using Federation.Grains.Catalogue.Index;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Catalogue.Datasets;

/// <summary>One dataset: its metadata, its life (active, withdrawn, deleted) and what references it.</summary>
[GrainType("dataset")]
public sealed class DatasetGrain(
    [PersistentState("dataset", GrainStorageNames.Catalogue)] IPersistentState<DatasetState> state,
    ICatalogueIndex index,
    TimeProvider time,
    ILogger<DatasetGrain> logger)
    : CatalogueGrain<DatasetState, DatasetRecord>(state, logger), IDatasetGrain
{
    private DatasetRecord? Live => Current is { Status: not CatalogueStatus.Deleted } r ? r : null;

    /// <inheritdoc />
    public Task<DatasetRecord?> GetAsync() => Task.FromResult(Live);

    /// <inheritdoc />
    public async Task<CommandResult<DatasetRecord>> RegisterAsync(DatasetSpec spec)
    {
        if (Live is { } existing)
        {
            return existing.Spec == spec
                ? CommandResult.Unchanged(existing)
                : CommandResult.Refused(CommandStatus.Conflict, $"dataset {spec.Id} is already registered (version {existing.Version}); change it with PUT and If-Match", existing);
        }

        var now = time.GetUtcNow();
        var record = new DatasetRecord
        {
            Spec = spec,
            Status = CatalogueStatus.Active,
            Version = (Current?.Version ?? 0) + 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return CommandResult.Created(await CommitAsync(record));
    }

    /// <inheritdoc />
    public async Task<CommandResult<DatasetRecord>> UpdateAsync(DatasetSpec spec, int expectedVersion)
    {
        if (Check(expectedVersion) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        if (current.Spec == spec)
        {
            return CommandResult.Unchanged(current);
        }

        return CommandResult.Ok(await CommitAsync(current with { Spec = spec, Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<DatasetRecord>> WithdrawAsync(string reason, int? expectedVersion)
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

        return CommandResult.Ok(await CommitAsync(current with
        {
            Status = CatalogueStatus.Withdrawn,
            StatusReason = reason,
            Version = current.Version + 1,
            UpdatedAt = time.GetUtcNow(),
        }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<DatasetRecord>> DeleteAsync(int? expectedVersion)
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
                $"dataset {current.Spec.Id} is referenced by {string.Join(", ", current.ReferencedBy)}; withdraw it instead (it stays resolvable for lineage)",
                current);
        }

        var tombstone = await CommitAsync(current with { Status = CatalogueStatus.Deleted, Version = current.Version + 1, UpdatedAt = time.GetUtcNow() });
        return CommandResult.Ok(tombstone);
    }

    /// <inheritdoc />
    public async Task<CommandResult<DatasetRecord>> AddReferenceAsync(string referrer)
    {
        if (Live is not { } current)
        {
            return CommandResult.Refused<DatasetRecord>(CommandStatus.NotFound, $"dataset {this.GetPrimaryKeyString()} is not registered");
        }

        if (current.ReferencedBy.Contains(referrer))
        {
            return CommandResult.Unchanged(current);
        }

        return CommandResult.Ok(await CommitAsync(current with
        {
            ReferencedBy = References.With(current.ReferencedBy, referrer),
            Version = current.Version + 1,
            UpdatedAt = time.GetUtcNow(),
        }));
    }

    /// <inheritdoc />
    public Task RepublishAsync() => RepublishCurrentAsync();

    /// <inheritdoc />
    protected override Task ProjectAsync(DatasetRecord record, CancellationToken cancellationToken) =>
        index.UpsertDatasetAsync(record, cancellationToken);

    private CommandResult<DatasetRecord>? Check(int? expectedVersion)
    {
        if (Live is not { } current)
        {
            return CommandResult.Refused<DatasetRecord>(CommandStatus.NotFound, $"dataset {Contracts.Ids.DatasetId.FromGrainKey(this.GetPrimaryKeyString())} is not registered");
        }

        return expectedVersion is { } v && v != current.Version
            ? CommandResult.Refused(CommandStatus.VersionMismatch, $"version {v} is stale: the dataset is at version {current.Version}; GET it again and retry", current)
            : null;
    }
}
