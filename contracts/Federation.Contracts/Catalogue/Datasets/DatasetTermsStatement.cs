using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Datasets;

/// <summary>
/// What a dataset's home nation states about where and for what the dataset may be used: the part of
/// its catalogue entry that another nation needs to admit work on it, and that the home signs (with
/// its export policy, so that a federated plan's crossings rest on what the home signed).
/// </summary>
/// <param name="Dataset">The dataset (its home is <see cref="DatasetRef.Nation"/>).</param>
/// <param name="Version">The catalogue entry's version the statement describes.</param>
/// <param name="Residency">Where it may be processed.</param>
/// <param name="DataUse">What it may be used for.</param>
[GenerateSerializer, Immutable, Alias("fed.DatasetTermsStatement")]
public sealed record DatasetTermsStatement(
    [property: Id(0)] DatasetRef Dataset,
    [property: Id(1)] int Version,
    [property: Id(2)] Residency Residency,
    [property: Id(3)] DataUseConditions DataUse)
{
    /// <summary>What derived from the data may leave its home (a federated job's updates, metrics); <see cref="ExportPolicy.None"/> unless the steward says more.</summary>
    [Id(4)] public ExportPolicy Exports { get; init; }
}
