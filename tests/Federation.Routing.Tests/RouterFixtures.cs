using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Contracts.Peers;
using Federation.Reference;

namespace Federation.Routing.Tests;

/// <summary>Builders for routing requests: adverts, candidates, inputs and jobs with plain defaults.</summary>
internal static class RouterFixtures
{
    private static readonly JsonSerializerOptions _printOptions = new(FederationJson.Options);

    /// <summary>The time of every decision in these tests: 2025-06-01 12:00 UTC.</summary>
    public static DateTimeOffset Now { get; } = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static ReferenceTables Table => ReferenceTables.Shipped;

    public static AcceleratorSlug H100 { get; } = Slug("h100-sxm");

    public static AcceleratorSlug A100 { get; } = Slug("a100-80gb-sxm");

    public static AcceleratorSlug L4 { get; } = Slug("l4");

    public static AcceleratorSlug V100 { get; } = Slug("v100-sxm2");

    public static WorkloadCall Train { get; } = new() { Name = "train", Version = "1.0" };

    public static AcceleratorSlug Slug(string text) => TypedId.Parse<AcceleratorSlug>(text);

    public static NationCode Nation(string text) => TypedId.Parse<NationCode>(text);

    public static DatasetRef Dataset(string text) => TypedId.Parse<DatasetRef>(text);

    public static AcceleratorCapacity Capacity(AcceleratorSlug slug, int free, int total) => new(slug, free, total);

    /// <summary>An advert with PUE 1.2, 50 gCO2e/kWh, an empty queue, workload train@1.0 and protocol version 1.</summary>
    public static CapabilityAdvert Advert(NationCode nation, params AcceleratorCapacity[] accelerators) => new()
    {
        Nation = nation,
        Name = $"{nation} federation node",
        Accelerators = [.. accelerators],
        Pue = 1.2,
        GridZone = nation.Value,
        GridIntensityGco2PerKwh = 50,
        QueueDepth = 0,
        Workloads = [new WorkloadRef(Train.Name, Train.Version)],
        SoftwareVersion = "1.0.0",
        ProtocolVersions = [1],
        IssuedAt = Now.AddMinutes(-1),
        Sequence = 1,
    };

    public static CandidateNation Reachable(CapabilityAdvert advert) =>
        new(advert.Nation, PeerHealth.Reachable, "advert received 1 minute ago", advert);

    public static InputDataset Input(string dataset, Residency? residency = null, DataUseConditions? dataUse = null, long sizeBytes = 0) =>
        new(Dataset(dataset), residency ?? new Residency(ResidencyKind.Anywhere, []), dataUse ?? DataUseConditions.Unrestricted, sizeBytes);

    /// <summary>A job of user alice at FR for health research, 1 accelerator of any model, 10 accelerator-hours on a100-80gb-sxm.</summary>
    public static JobSpec Job(WorkEstimate? work = null, AcceleratorRequest? accelerators = null) => new()
    {
        Id = "train-1",
        Owner = new JobOwner("alice", null),
        Purpose = new JobPurpose { Use = ResearchCategory.HealthMedicalBiomedical },
        Accelerators = accelerators ?? new AcceleratorRequest { Count = 1 },
        Work = work ?? WorkEstimate.Hours(10, A100),
        Workload = Train,
    };

    /// <summary>A request for <paramref name="job"/> at <see cref="Now"/>; the job's inputs are set to <paramref name="inputs"/>.</summary>
    public static RoutingRequest Request(JobSpec job, IEnumerable<CandidateNation> candidates, params InputDataset[] inputs)
    {
        var spec = job with { Inputs = [.. inputs.Select(i => i.Ref)] };
        return new RoutingRequest
        {
            Job = spec.RefIn(Samples.FR),
            Spec = spec,
            Now = Now,
            Inputs = [.. inputs],
            Candidates = [.. candidates],
        };
    }

    /// <summary>A request as JSON, for the counter-examples CsCheck reports.</summary>
    public static string Print(RoutingRequest request) => JsonSerializer.Serialize(request, _printOptions);

    /// <summary>The day a request's time-limited data use is judged on.</summary>
    public static DateOnly DayOf(RoutingRequest request) => DateOnly.FromDateTime(request.Now.UtcDateTime);

    public static ImmutableArray<T> OrEmpty<T>(this ImmutableArray<T> array) => array.IsDefault ? [] : array;
}
