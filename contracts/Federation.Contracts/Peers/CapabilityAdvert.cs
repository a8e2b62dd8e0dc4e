using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Peers;

/// <summary>What a nation offers the federation, pushed to every peer on change and periodically.</summary>
[GenerateSerializer, Immutable, Alias("fed.CapabilityAdvert")]
public sealed record CapabilityAdvert
{
    /// <summary>The advertising nation; must be the nation of the sender's certificate.</summary>
    [Id(0)] public required NationCode Nation { get; init; }

    /// <summary>Human name.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>Accelerators per model.</summary>
    [Id(2)] public ImmutableArray<AcceleratorCapacity> Accelerators { get; init; } = [];

    /// <summary>Power usage effectiveness.</summary>
    [Id(3)] public required double Pue { get; init; }

    /// <summary>Grid zone of the carbon intensity.</summary>
    [Id(4)] public required string GridZone { get; init; }

    /// <summary>Current grid carbon intensity, gCO2e/kWh.</summary>
    [Id(5)] public required double GridIntensityGco2PerKwh { get; init; }

    /// <summary>Jobs waiting for admission.</summary>
    [Id(6)] public int QueueDepth { get; init; }

    /// <summary>Workloads the nation runs.</summary>
    [Id(7)] public ImmutableArray<WorkloadRef> Workloads { get; init; } = [];

    /// <summary>Software version of the silo.</summary>
    [Id(8)] public required string SoftwareVersion { get; init; }

    /// <summary>Federation protocol versions the nation speaks.</summary>
    [Id(9)] public ImmutableArray<int> ProtocolVersions { get; init; } = [];

    /// <summary>When the nation issued it.</summary>
    [Id(10)] public DateTimeOffset IssuedAt { get; init; }

    /// <summary>Rises with every advert a nation issues within one <see cref="SenderEpoch"/>; older ones are ignored.</summary>
    [Id(11)] public long Sequence { get; init; }

    /// <summary>
    /// The sender's run (its start time in Unix milliseconds): a restart begins a new, higher epoch whose
    /// sequence starts again, so sequences are compared only within one epoch.
    /// </summary>
    [Id(12)] public long SenderEpoch { get; init; }

    /// <summary>True when the accelerators are simulated (a demo nation): nothing real runs there.</summary>
    [Id(13)] public bool Simulated { get; init; }

    /// <summary>
    /// The nation's grid intensity forecast for the hours ahead (with its source, and whether it fell back
    /// to the annual figure); null from a nation that sends none, which the router treats as flat at
    /// <see cref="GridIntensityGco2PerKwh"/>.
    /// </summary>
    [Id(14)] public IntensityForecast? Forecast { get; init; }

    /// <summary>
    /// True while the nation drains (<c>fedctl nation drain</c>): it admits no new offers and advertises
    /// no free accelerators; routers exclude it. False from a nation that does not send it.
    /// </summary>
    [Id(15)] public bool Draining { get; init; }

    /// <summary>True when the content (not the time or sequence) equals <paramref name="other"/>'s.</summary>
    public bool SameContent(CapabilityAdvert? other) =>
        other is not null && Nation == other.Nation && Name == other.Name && Accelerators.SequenceEqual(other.Accelerators)
        && Pue.Equals(other.Pue) && GridZone == other.GridZone && GridIntensityGco2PerKwh.Equals(other.GridIntensityGco2PerKwh)
        && QueueDepth == other.QueueDepth && Workloads.SequenceEqual(other.Workloads) && SoftwareVersion == other.SoftwareVersion
        && ProtocolVersions.SequenceEqual(other.ProtocolVersions) && Simulated == other.Simulated && Equals(Forecast, other.Forecast)
        && Draining == other.Draining;
}
