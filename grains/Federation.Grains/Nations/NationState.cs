using Federation.Contracts.Nations;

namespace Federation.Grains.Nations;

/// <summary>Persistent state of the nation grain.</summary>
[GenerateSerializer, Alias("fed.NationState")]
public sealed class NationState
{
    /// <summary>The profile; null before initialisation.</summary>
    [Id(0)] public NationProfile? Profile { get; set; }
}
