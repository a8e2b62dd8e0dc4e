using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Protocol.Roster;
using Federation.Silo.Overview;
using Federation.Transparency;

namespace Federation.Silo.Tests.Overview;

/// <summary>Facts of a three-nation federation seen from DE, for the overview's unit tests.</summary>
internal static class OverviewFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    public static NationCode Code(string code) => TypedId.Parse<NationCode>(code);

    public static RosterEntry Entry(string code, string name) => new(code, name, $"https://127.0.0.1:1/{code}", ["1"], ["pin"]);

    public static CapabilityAdvert Advert(string code, string name, int free = 2, int total = 4) => new()
    {
        Nation = Code(code),
        Name = name,
        Accelerators = [new AcceleratorCapacity(TypedId.Parse<AcceleratorSlug>("h100-80gb-sxm"), free, total)],
        Pue = 1.2,
        GridZone = code,
        GridIntensityGco2PerKwh = 56,
        SoftwareVersion = "1.0.0",
        ProtocolVersions = [1],
    };

    public static JobRecord Job(string id, JobState state, string? nation, string reason = "", int minutesAgo = 1)
    {
        var job = TypedId.Parse<JobRef>($"DE/{id}");
        return new JobRecord
        {
            Ref = job,
            Spec = new JobSpec
            {
                Id = id,
                Owner = new JobOwner("alice@example.org", null),
                Purpose = new JobPurpose { Use = ResearchCategory.General },
                Accelerators = new AcceleratorRequest { Count = 1 },
                Work = WorkEstimate.Hours(1, TypedId.Parse<AcceleratorSlug>("h100-80gb-sxm")),
                Walltime = TimeSpan.FromHours(1),
                Workload = new WorkloadCall { Name = "demo-train", Version = "1.0" },
            },
            State = state,
            StateReason = reason,
            Epoch = nation is null ? 0 : 1,
            Nation = nation is null ? null : Code(nation),
            SubmittedAt = Now.AddMinutes(-minutesAgo - 1),
            UpdatedAt = Now.AddMinutes(-minutesAgo),
        };
    }

    public static OverviewFacts Facts(
        IReadOnlyList<PeerStatus>? peers = null,
        IReadOnlyList<JobRecord>? jobs = null,
        IReadOnlyList<TransparencyEntry>? refusals = null,
        IReadOnlyList<RosterEntry>? roster = null) => new(
        Now,
        Code("DE"),
        roster ?? [Entry("FR", "France"), Entry("DE", "Germany"), Entry("SE", "Sweden")],
        Advert("DE", "Germany", 0, 0),
        peers ??
        [
            new PeerStatus { Nation = Code("FR"), Health = PeerHealth.Reachable, LastAdvert = Advert("FR", "France"), Transparency = "consistent" },
            new PeerStatus { Nation = Code("SE"), Health = PeerHealth.Unreachable, HealthReason = "missed three advert intervals", Transparency = "unchecked" },
        ],
        jobs ?? [],
        false,
        refusals ?? [],
        [new SiloFact("de-1", "S127.0.0.1:11111:1", "host", "Active", Now.AddHours(-1), true)]);
}
