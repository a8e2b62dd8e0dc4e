using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Reference;
using Federation.Routing.Trust;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Trust;

/// <summary>
/// The federation's agreed reference for each nation's advert: the roster's grid zone (or the
/// advert's own), the zone's hourly value where a series is configured, else its annual figure.
/// </summary>
public sealed class ClaimReferences
{
    private readonly ReferenceTables _tables;
    private readonly RosterStore _roster;
    private readonly TrustOptions _options;
    private readonly TimeProvider _time;
    private readonly HourlyIntensitySeries? _series;

    /// <summary>Reads the hourly series, when one is configured (the options validator has checked it loads).</summary>
    public ClaimReferences(ReferenceTables tables, RosterStore roster, IOptions<TrustOptions> options, TimeProvider time)
    {
        _tables = tables;
        _roster = roster;
        _options = options.Value;
        _time = time;
        _series = string.IsNullOrWhiteSpace(_options.HourlySeriesPath) ? null : HourlyIntensitySeries.Load(_options.HourlySeriesPath);
    }

    /// <summary>What <paramref name="nation"/>'s advert is checked against now; null when neither the roster nor the advert names a zone.</summary>
    public ClaimReference? For(NationCode nation, CapabilityAdvert? advert)
    {
        var rostered = _roster.Find(nation.Value)?.GridZone;
        var zone = rostered ?? advert?.GridZone;
        if (string.IsNullOrEmpty(zone))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var (figure, source) = _series?.Find(zone, now) is { } hourly
            ? (hourly, string.Create(CultureInfo.InvariantCulture, $"hourly series {Path.GetFileName(_series.Source)}, {now.UtcDateTime:MM-dd HH}:00 UTC"))
            : _tables.FindGridZone(zone) is { } annual
                ? (annual.Gco2PerKwh, string.Create(CultureInfo.InvariantCulture, $"annual {annual.Year} figure"))
                : ((double?)null, "no reference figure");
        return new ClaimReference(zone, figure, source, _options.MinIntensityFraction, _options.ReferencePue, rostered is not null);
    }

    /// <summary>The flags of <paramref name="status"/>'s last advert.</summary>
    public ImmutableArray<string> Flags(PeerStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.LastAdvert is { } advert ? AdvertClaims.Check(advert, For(status.Nation, advert)).Flags : [];
    }
}
