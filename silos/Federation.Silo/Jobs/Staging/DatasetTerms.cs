using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;

namespace Federation.Silo.Jobs.Staging;

/// <summary>What this nation knows of a dataset for staging it or releasing what a job made of it.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Residency">Where it may be processed (its home's word).</param>
/// <param name="SizeBytes">Its size as its home states it.</param>
/// <param name="Sha256">Its SHA-256 as its home's catalogue states it (lower-case hex), when stated.</param>
/// <param name="Location">Where the bytes are: known only for this nation's own datasets.</param>
public sealed record DatasetTerms(DatasetRef Dataset, Residency Residency, long SizeBytes, string? Sha256, Uri? Location);
