using Federation.Contracts.Catalogue.Models;

namespace Federation.Grains.Catalogue.Models;

/// <summary>Persistent state of a model artifact grain.</summary>
[GenerateSerializer, Alias("fed.ModelArtifactState")]
public sealed class ModelArtifactState : IRecordHolder<ModelArtifactRecord>
{
    /// <inheritdoc />
    [Id(0)] public ModelArtifactRecord? Record { get; set; }
}
