using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;

namespace Federation.Silo.Jobs.Outputs;

/// <summary>One input of a job as the release rule sees it: the dataset and its residency, or why its terms are unknown.</summary>
/// <param name="Dataset">The dataset the job read.</param>
/// <param name="Residency">Where it may be processed, as its home states it; null when the terms could not be read.</param>
/// <param name="Unreadable">Why the terms could not be read, when <paramref name="Residency"/> is null.</param>
public sealed record ReleaseInput(DatasetRef Dataset, Residency? Residency, string? Unreadable = null);
