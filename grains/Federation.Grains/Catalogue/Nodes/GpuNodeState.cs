using Federation.Contracts.Catalogue.Nodes;

namespace Federation.Grains.Catalogue.Nodes;

/// <summary>Persistent state of a GPU node grain.</summary>
[GenerateSerializer, Alias("fed.GpuNodeState")]
public sealed class GpuNodeState : IRecordHolder<GpuNodeRecord>
{
    /// <inheritdoc />
    [Id(0)] public GpuNodeRecord? Record { get; set; }
}
