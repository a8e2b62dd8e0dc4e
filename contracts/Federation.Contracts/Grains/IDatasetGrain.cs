using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Results;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>One dataset of this nation (key: <see cref="Ids.DatasetId.GrainKey"/>).</summary>
[Alias("fed.IDatasetGrain"), GrainInterfaceType("fed.IDatasetGrain")]
public interface IDatasetGrain : IGrainWithStringKey
{
    /// <summary>The dataset, or null when never registered or deleted. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly]
    Task<DatasetRecord?> GetAsync();

    /// <summary>Registers the dataset; repeating the same spec is idempotent, another spec conflicts.</summary>
    [Alias("RegisterAsync")]
    Task<CommandResult<DatasetRecord>> RegisterAsync(DatasetSpec spec);

    /// <summary>Replaces the spec when <paramref name="expectedVersion"/> is current.</summary>
    [Alias("UpdateAsync")]
    Task<CommandResult<DatasetRecord>> UpdateAsync(DatasetSpec spec, int expectedVersion);

    /// <summary>Withdraws the dataset from new work; it stays resolvable.</summary>
    [Alias("WithdrawAsync")]
    Task<CommandResult<DatasetRecord>> WithdrawAsync(string reason, int? expectedVersion);

    /// <summary>Deletes the dataset unless something references it.</summary>
    [Alias("DeleteAsync")]
    Task<CommandResult<DatasetRecord>> DeleteAsync(int? expectedVersion);

    /// <summary>Records that <paramref name="referrer"/> depends on this dataset.</summary>
    [Alias("AddReferenceAsync")]
    Task<CommandResult<DatasetRecord>> AddReferenceAsync(string referrer);

    /// <summary>Writes the current state to the read model again (rebuild).</summary>
    [Alias("RepublishAsync")]
    Task RepublishAsync();
}
