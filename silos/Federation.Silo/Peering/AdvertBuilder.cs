using System.Reflection;
using Federation.Contracts.Peers;
using Federation.Execution.Workloads;
using Federation.Grains.Execution;
using Federation.Grains.Nations;
using Federation.Reference;
using Federation.Silo.Carbon;
using Federation.Silo.Demo;
using Federation.Silo.Nations;

namespace Federation.Silo.Peering;

/// <summary>Builds this nation's capability advert from its profile, its pools' capacity, its allow-list and the reference tables.</summary>
public sealed class AdvertBuilder(IGrainFactory grains, NationCapacity capacity, WorkloadCatalogue workloads, ReferenceTables reference, DemoSettings demo, CarbonForecasts forecasts, TimeProvider time, DrainSwitch? drain = null, SpokenProtocol? protocol = null)
{
    private static readonly string s_softwareVersion =
        typeof(AdvertBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static readonly SpokenProtocol s_newest = new(Federation.Protocol.Roster.ProtocolVersions.Newest);

    // This run's epoch: a restart starts a new, higher one, and the sequence starts again within it.
    private readonly long _epoch = time.GetUtcNow().ToUnixTimeMilliseconds();
    private long _sequence;

    /// <summary>The advert as of now; each call gets a higher sequence number.</summary>
    public async Task<CapabilityAdvert> BuildAsync(CancellationToken cancellationToken)
    {
        var profile = await NationProfiles.CurrentAsync(grains);
        var accelerators = await capacity.SummarizeAsync(cancellationToken);
        var forecast = await forecasts.CurrentAsync(profile.GridZone, cancellationToken);
        var draining = drain is not null && (await drain.CurrentAsync()).Draining;
        return new CapabilityAdvert
        {
            Nation = profile.Code,
            Name = profile.Name,
            // A draining nation offers nothing free: what it has stays visible, for the overview.
            Accelerators = draining ? [.. accelerators.Select(a => a with { Free = 0 })] : [.. accelerators],
            Pue = profile.Pue,
            GridZone = profile.GridZone,
            GridIntensityGco2PerKwh = reference.FindGridZone(profile.GridZone)?.Gco2PerKwh ?? 0,
            QueueDepth = 0,
            Workloads = [.. workloads.All.Select(w => new WorkloadRef(w.Name, w.Version))],
            SoftwareVersion = s_softwareVersion,
            ProtocolVersions = (protocol ?? s_newest).Numbers,
            IssuedAt = time.GetUtcNow(),
            Sequence = Interlocked.Increment(ref _sequence),
            SenderEpoch = _epoch,
            Simulated = demo.SimulateNodes,
            Forecast = forecast,
            Draining = draining,
        };
    }
}
