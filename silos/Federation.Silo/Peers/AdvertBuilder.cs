using System.Reflection;
using Federation.Contracts.Peers;
using Federation.Grains.Catalogue.Index;
using Federation.Reference;
using Federation.Silo.Api;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Peers;

/// <summary>Builds this nation's capability advert from its profile, its read model and the reference tables.</summary>
public sealed class AdvertBuilder(IGrainFactory grains, ICatalogueIndex index, ReferenceTables reference, IOptions<AdvertOptions> options, TimeProvider time)
{
    private static readonly string s_softwareVersion =
        typeof(AdvertBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private long _sequence = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <summary>The advert as of now; each call gets a higher sequence number.</summary>
    public async Task<CapabilityAdvert> BuildAsync(CancellationToken cancellationToken)
    {
        var profile = await NationProfiles.CurrentAsync(grains);
        var capacity = await index.SummarizeCapacityAsync(cancellationToken);
        var workloads = options.Value.Workloads
            .Select(w => w.Split('@', 2))
            .Where(p => p.Length == 2)
            .Select(p => new WorkloadRef(p[0], p[1]))
            .ToList();
        return new CapabilityAdvert
        {
            Nation = profile.Code,
            Name = profile.Name,
            Accelerators = [.. capacity],
            Pue = profile.Pue,
            GridZone = profile.GridZone,
            GridIntensityGco2PerKwh = reference.FindGridZone(profile.GridZone)?.Gco2PerKwh ?? 0,
            QueueDepth = 0,
            Workloads = [.. workloads],
            SoftwareVersion = s_softwareVersion,
            ProtocolVersions = [1],
            IssuedAt = time.GetUtcNow(),
            Sequence = Interlocked.Increment(ref _sequence),
        };
    }
}
