using Federation.Contracts.Nations;

namespace Federation.Grains.Nations;

/// <summary>Persistent state of the nation's drain grain.</summary>
[GenerateSerializer, Alias("fed.NationDrainState")]
public sealed class NationDrainState
{
    /// <summary>The drain; <see cref="NationDrain.Open"/> when never drained.</summary>
    [Id(0)] public NationDrain Drain { get; set; } = NationDrain.Open;
}
