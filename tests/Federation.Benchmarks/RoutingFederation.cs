using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Reference;
using Federation.Routing;

namespace Federation.Benchmarks;

/// <summary>
/// A generated federation of nations as the origin sees it: each nation's health and its advert
/// without capacity (PUE, grid intensity, queue, workloads, protocol versions). The capacity comes
/// from the nodes (<see cref="NodePopulation"/>), so the same federation can stand in front of
/// 1,000 or 100,000 nodes. Depends only on the seed and the number of nations.
/// </summary>
internal sealed class RoutingFederation
{
    /// <summary>Most nations a federation can have here.</summary>
    public const int MaxNations = 180;

    /// <summary>The workloads nations allow, as <c>name@version</c>.</summary>
    public static readonly ImmutableArray<WorkloadRef> Workloads =
    [
        new("train-llm", "1.2"), new("finetune", "0.9"), new("infer-batch", "2.0"), new("etl-parquet", "0.3"), new("imaging-segmentation", "1.0"),
    ];

    // Assigned ISO 3166-1 codes; the nations of the shipped grid table come first, then these in order.
    private const string MoreCodes = """
        AR BG BO CO CR CY CZ DO EC EE EG ET GE GH GR GT HK HN HR HU IL JM JO KZ LB LK LT LU LV MK MT MU MX MY
        NP NZ PA PE PH PK PY QA RO RS SA SI SK SN TH TN TR TW TZ UA UG UY UZ VN ZM ZW AE AL AM AZ BA BD BH BN
        BW BY CM CU DZ GA IQ IR KG KH KW LA LY MD ME MG MM MN MW MZ NA NE NI OM PG RW SD SV TJ TM TT VE YE AD
        AO BF BI BJ BT BZ CD CF CG CI CV DJ DM ER FJ GD GM GN GQ GW GY HT KM KN LC LI LR LS MC ML MR MV SB SC
        SL SM SO SR SS ST SZ TD TG TL TO TV VC VU WS
        """;

    private RoutingFederation(ImmutableArray<NationCode> nations, ImmutableArray<CandidateNation> templates)
    {
        Nations = nations;
        Templates = templates;
    }

    /// <summary>The nations, in the order of <see cref="Templates"/>.</summary>
    public ImmutableArray<NationCode> Nations { get; }

    /// <summary>Each nation as a candidate, its advert (if any) with no accelerators yet.</summary>
    public ImmutableArray<CandidateNation> Templates { get; }

    /// <summary>
    /// <paramref name="count"/> nations: about 96 % reachable with an advert in protocol version 1,
    /// and a few that are unreachable, never advertised, or speak only version 2, as a real roster has.
    /// </summary>
    public static RoutingFederation Create(int seed, int count, ReferenceTables reference)
    {
        var codes = reference.GridZones.Select(g => g.Zone)
            .Concat(MoreCodes.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            .Where(Iso3166.IsAssigned)
            .Distinct(StringComparer.Ordinal)
            .Take(count)
            .Select(TypedId.Parse<NationCode>)
            .ToImmutableArray();
        if (codes.Length < count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"at most {codes.Length} nations can be generated");
        }

        var zones = reference.GridZones.ToList();
        var issued = new DateTimeOffset(2025, 6, 1, 11, 59, 0, TimeSpan.Zero);
        var templates = ImmutableArray.CreateBuilder<CandidateNation>(count);
        for (var i = 0; i < count; i++)
        {
            var nation = codes[i];
            var random = new Random(unchecked((seed * 7919) + i));
            var zone = reference.FindGridZone(nation.Value) ?? zones[random.Next(zones.Count)];
            var advert = new CapabilityAdvert
            {
                Nation = nation,
                Name = $"{nation} research computing",
                Pue = Math.Round(1.08 + (random.NextDouble() * 0.5), 2),
                GridZone = zone.Zone,
                GridIntensityGco2PerKwh = zone.Gco2PerKwh,
                QueueDepth = random.Next(4) == 0 ? 0 : random.Next(1, 60),
                Workloads = [.. Workloads.Where(_ => random.Next(100) < 85)],
                SoftwareVersion = "0.5.0",
                ProtocolVersions = random.Next(100) < 3 ? [2] : [1],
                IssuedAt = issued,
                Sequence = 1,
            };

            // Position 0 is the origin: always reachable, so that no federation is left with no one to run.
            var roll = i == 0 ? 99 : random.Next(100);
            templates.Add(roll switch
            {
                < 2 => new CandidateNation(nation, PeerHealth.Unknown, "no advert received since start-up", null),
                < 4 => new CandidateNation(nation, PeerHealth.Unreachable, "missed 3 advert intervals", advert),
                _ => new CandidateNation(nation, PeerHealth.Reachable, "advert received 20 s ago", advert),
            });
        }

        return new RoutingFederation(codes, templates.MoveToImmutable());
    }

    /// <summary>The candidates with <paramref name="capacity"/> (one entry per nation, in order) in their adverts.</summary>
    public ImmutableArray<CandidateNation> WithCapacity(IReadOnlyList<ImmutableArray<AcceleratorCapacity>> capacity)
    {
        var candidates = ImmutableArray.CreateBuilder<CandidateNation>(Templates.Length);
        for (var i = 0; i < Templates.Length; i++)
        {
            var template = Templates[i];
            candidates.Add(template.Advert is null ? template : template with { Advert = template.Advert with { Accelerators = capacity[i] } });
        }

        return candidates.MoveToImmutable();
    }
}
