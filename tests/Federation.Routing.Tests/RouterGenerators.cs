using System.Collections.Immutable;
using CsCheck;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Reference;

namespace Federation.Routing.Tests;

/// <summary>
/// CsCheck generators of routing requests: federations of 2-12 nations with random adverts,
/// 0-3 input datasets homed among them with random residency and DUO conditions, and a random job.
/// </summary>
internal static class RouterGenerators
{
    private static readonly NationCode[] _nationPool =
        [.. "FR DE SE NL IT ES PL FI DK AT BE PT IE CZ".Split(' ').Select(RouterFixtures.Nation)];

    private static readonly AcceleratorSlug[] _slugs = [.. ReferenceTables.Shipped.Accelerators.Select(a => a.Slug)];

    private static readonly WorkloadRef[] _workloads =
        [new("train", "1.0"), new("train", "2.0"), new("infer", "1.0"), new("align", "0.9")];

    private static readonly DuoModifier[] _modifiers = Enum.GetValues<DuoModifier>();

    private static readonly string[] _diseases = ["MONDO:0004992", "MONDO:0005148", "MONDO:0007254"];

    private static readonly string[] _institutions = ["inserm", "karolinska", "charite"];

    private static readonly string[] _users = ["alice", "bob", "chen"];

    private static readonly string[] _projects = ["bc-survival", "t2d-gwas", "atlas"];

    private static readonly double[] _memories = [0, 0, 0, 0, 24, 40, 80, 100];

    /// <summary>A random subset of <paramref name="pool"/>, between <paramref name="min"/> and <paramref name="max"/> long, in random order.</summary>
    public static Gen<T[]> Subset<T>(T[] pool, int min, int max) =>
        Gen.Select(Gen.Int[min, Math.Min(max, pool.Length)], Gen.Int.Array[pool.Length],
            (n, keys) => pool.Zip(keys).OrderBy(p => p.Second).Take(n).Select(p => p.First).ToArray());

    private static Gen<ImmutableArray<AcceleratorCapacity>> Capacities { get; } =
        from slugs in Gen.Frequency<AcceleratorSlug[]>((1, Gen.Const(Array.Empty<AcceleratorSlug>())), (9, Subset(_slugs, 1, 5)))
        from sizes in Gen.Select(Gen.Int[1, 64], Gen.Int[0, 64]).Array[slugs.Length]
        select slugs.Zip(sizes, (slug, size) => new AcceleratorCapacity(slug, Math.Min(size.Item2, size.Item1), size.Item1)).ToImmutableArray();

    private static Gen<ImmutableArray<int>> ProtocolVersions { get; } =
        Gen.Frequency((8, ImmutableArray.Create(1)), (1, ImmutableArray.Create(1, 2)), (2, ImmutableArray.Create(2)));

    /// <summary>Usually train@1.0 (what most jobs ask for) among others; sometimes none.</summary>
    private static Gen<WorkloadRef[]> Workloads { get; } =
        Gen.Frequency<WorkloadRef[]>((3, Gen.Const(_workloads)), (3, Subset(_workloads, 0, 4)));

    /// <summary>An advert; its nation is set when it is given to one.</summary>
    private static Gen<CapabilityAdvert> Advert { get; } =
        Gen.Select(Capacities, Gen.Double[1.05, 1.8], Gen.Double[10, 800], Gen.Int[0, 40], Workloads, ProtocolVersions,
            (accelerators, pue, intensity, queue, workloads, versions) => new CapabilityAdvert
            {
                Nation = default,
                Name = "generated",
                Accelerators = accelerators,
                Pue = pue,
                GridZone = "XX",
                GridIntensityGco2PerKwh = intensity,
                QueueDepth = queue,
                Workloads = [.. workloads],
                SoftwareVersion = "1.0.0",
                ProtocolVersions = versions,
                IssuedAt = RouterFixtures.Now,
                Sequence = 1,
            });

    private static Gen<CandidateNation> Candidate { get; } =
        from health in Gen.Frequency((7, PeerHealth.Reachable), (2, PeerHealth.Unknown), (1, PeerHealth.Unreachable))
        from advert in Advert.Null(0.1)
        select new CandidateNation(default, health, health.ToString().ToLowerInvariant(), advert);

    private static Gen<DateOnly?> DayNearToday { get; } =
        Gen.Int[-3, 3].Select(d => DateOnly.FromDateTime(RouterFixtures.Now.UtcDateTime).AddDays(d)).Nullable(0.15);

    /// <summary>DUO conditions: any permission, up to two modifiers (sometimes GS alone), lists drawn from <paramref name="nations"/> and small pools.</summary>
    public static Gen<DataUseConditions> Conditions(NationCode[] nations) =>
        from permission in Gen.Frequency((5, DuoPermission.NRES), (5, DuoPermission.GRU), (2, DuoPermission.HMB), (1, DuoPermission.DS), (1, DuoPermission.POA))
        from disease in Gen.OneOf(_diseases).Null(0.1)
        from modifierCount in Gen.Frequency((8, 0), (3, 1), (1, 2))
        from modifiers in Subset(_modifiers, modifierCount, modifierCount)
        from geographicOnly in Gen.Frequency((5, false), (1, true))
        from geographic in Subset(nations, 0, 3)
        from institutions in Subset(_institutions, 0, 2)
        from users in Subset(_users, 0, 2)
        from projects in Subset(_projects, 0, 2)
        from validUntil in DayNearToday
        from moratoriumUntil in DayNearToday
        select new DataUseConditions(permission, permission == DuoPermission.DS ? disease : null,
            geographicOnly ? [.. modifiers.Append(DuoModifier.GS).Distinct()] : [.. modifiers], [.. geographic],
            [.. institutions], [.. users], [.. projects], validUntil, moratoriumUntil);

    /// <summary>An input dataset; its id is set by position when the request is built.</summary>
    private static Gen<InputDataset> Input(NationCode[] nations) =>
        from home in Gen.OneOf(nations)
        from kind in Gen.Frequency((1, ResidencyKind.HomeOnly), (2, ResidencyKind.ListedNations), (3, ResidencyKind.Anywhere))
        from listed in Gen.Frequency<NationCode[]>((3, Subset(nations, 0, 6)), (1, Subset(_nationPool, 0, 4)))
        from conditions in Gen.Frequency<DataUseConditions>((1, Gen.Const(DataUseConditions.Unrestricted)), (2, Conditions(nations)))
        from size in Gen.Frequency<long>((1, Gen.Const(0L)), (4, Gen.Long[1, 500_000_000_000]))
        select new InputDataset(new DatasetRef(home, default), new Residency(kind, kind == ResidencyKind.ListedNations ? [.. listed] : []), conditions, size);

    private static Gen<WorkEstimate> Work { get; } = Gen.Frequency<WorkEstimate>(
        (6, Gen.Select(Gen.Double[0.05, 2000], Gen.OneOf(_slugs), WorkEstimate.Hours)),
        (3, Gen.Double[1e15, 1e22].Select(WorkEstimate.Operations)),
        (1, Gen.Double[1e26, 1e32].Select(WorkEstimate.Operations)));

    private static Gen<AcceleratorRequest> Accelerators { get; } =
        from count in Gen.Frequency<int>((8, Gen.Const(1)), (3, Gen.Int[2, 8]), (1, Gen.Int[9, 80]))
        from memory in Gen.OneOf(_memories)
        from models in Gen.Frequency<AcceleratorSlug[]>((4, Gen.Const(Array.Empty<AcceleratorSlug>())), (1, Subset(_slugs, 1, 3)))
        select new AcceleratorRequest { Count = count, MinMemoryGb = memory, Models = [.. models] };

    /// <summary>A declared purpose: any category, careful (meets what modifiers ask) or not.</summary>
    public static Gen<JobPurpose> Purposes { get; } =
        from use in Gen.Frequency(
            (2, ResearchCategory.General),
            (3, ResearchCategory.HealthMedicalBiomedical),
            (2, ResearchCategory.DiseaseSpecific),
            (1, ResearchCategory.PopulationOriginsAncestry),
            (1, ResearchCategory.ClinicalCare))
        from disease in Gen.OneOf(_diseases).Null(0.3)
        from flags in Gen.Int[0, 127]
        from careful in Gen.Bool
        from ethics in Gen.Const("CPP-2025-041").Null(0.5)
        from institution in Gen.OneOf(_institutions).Null(0.2)
        from project in Gen.OneOf(_projects).Null(0.3)
        from publication in Gen.Int[-5, 5].Select(d => DateOnly.FromDateTime(RouterFixtures.Now.UtcDateTime).AddDays(d)).Nullable(0.5)
        select new JobPurpose
        {
            Use = use,
            DiseaseTerm = disease,
            // A careful requester commits to everything a modifier may ask and claims nothing one may forbid.
            Genetic = careful || (flags & 1) != 0,
            MethodsDevelopment = !careful && (flags & 2) != 0,
            Commercial = !careful && (flags & 4) != 0,
            ForProfit = !careful && (flags & 8) != 0,
            CollaboratorAgreed = careful || (flags & 16) != 0,
            PublicationCommitted = careful || (flags & 32) != 0,
            ReturnCommitted = careful || (flags & 64) != 0,
            EthicsApprovalReference = careful ? "CPP-2025-041" : ethics,
            Institution = institution,
            Project = project,
            PublicationPlannedOn = publication,
        };

    private static Gen<JobSpec> Job { get; } =
        from purpose in Purposes
        from user in Gen.OneOf(_users)
        from accelerators in Accelerators
        from work in Work
        from walltime in Gen.Frequency<TimeSpan>((2, Gen.Const(TimeSpan.Zero)), (3, Gen.Double[5, 200_000].Select(TimeSpan.FromMinutes)))
        from deadline in Gen.Frequency<DateTimeOffset?>(
            (2, Gen.Const((DateTimeOffset?)null)),
            (1, Gen.Double[-2, 2000].Select(h => (DateTimeOffset?)RouterFixtures.Now.AddHours(h))))
        from workload in Gen.Frequency((6, _workloads[0]), (1, _workloads[1]), (1, _workloads[2]), (1, _workloads[3]))
        select new JobSpec
        {
            Id = "job-1",
            Owner = new JobOwner(user, null),
            Purpose = purpose,
            Accelerators = accelerators,
            Work = work,
            Walltime = walltime,
            Deadline = deadline,
            Workload = new WorkloadCall { Name = workload.Name, Version = workload.Version },
        };

    /// <summary>A whole routing request.</summary>
    public static Gen<RoutingRequest> Request { get; } =
        from nations in Subset(_nationPool, 2, 12)
        from candidates in Candidate.Array[nations.Length]
        from inputCount in Gen.Frequency((2, 0), (4, 1), (2, 2), (1, 3))
        from inputs in Input(nations).Array[inputCount]
        from job in Job
        select Build(nations, candidates, inputs, job);

    private static RoutingRequest Build(NationCode[] nations, CandidateNation[] candidates, InputDataset[] inputs, JobSpec job)
    {
        var named = inputs.Select((input, i) => input with { Ref = new DatasetRef(input.Ref.Nation, TypedId.Parse<DatasetId>($"ds-{i}")) }).ToImmutableArray();
        var spec = job with { Inputs = [.. named.Select(i => i.Ref)] };
        return new RoutingRequest
        {
            Job = spec.RefIn(nations[0]),
            Spec = spec,
            Now = RouterFixtures.Now,
            Inputs = named,
            Candidates = [.. nations.Zip(candidates, (nation, c) => c with { Nation = nation, Advert = c.Advert is null ? null : c.Advert with { Nation = nation } })],
        };
    }
}
