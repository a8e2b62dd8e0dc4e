using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;

namespace Federation.Routing;

/// <summary>What the router needs to know of one input dataset, as its home nation states it.</summary>
/// <param name="Ref">The dataset.</param>
/// <param name="Residency">Where it may be processed.</param>
/// <param name="DataUse">What it may be used for.</param>
/// <param name="SizeBytes">How many bytes would move if it were processed away from home.</param>
public sealed record InputDataset(DatasetRef Ref, Residency Residency, DataUseConditions DataUse, long SizeBytes)
{
    /// <summary>What derived from it may leave its home (a federated job's updates, metrics); none unless its home says more.</summary>
    public ExportPolicy Exports { get; init; }
}
