using Federation.Contracts.Catalogue.Datasets;

namespace Federation.Grains.Catalogue.Datasets;

/// <summary>Persistent state of a dataset grain.</summary>
[GenerateSerializer, Alias("fed.DatasetState")]
public sealed class DatasetState : IRecordHolder<DatasetRecord>
{
    /// <inheritdoc />
    [Id(0)] public DatasetRecord? Record { get; set; }
}
