using System.Collections.Immutable;
using Federation.Contracts.Access;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Nations;
using Federation.Contracts.Peers;
using Federation.Contracts.Results;
using Federation.Contracts.Routing;
using Federation.Contracts.Shares;
using Federation.Protocol.Messages;

namespace Federation.Conventions.Tests;

/// <summary>One representative, fully populated instance of every serializable contract type.</summary>
internal static class WireSamples
{
    private static readonly DateTimeOffset s_created = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private static readonly DateTimeOffset s_updated = new(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2));

    public static NationCode France { get; } = TypedId.Parse<NationCode>("FR");

    public static DataUseConditions DataUse { get; } = new(
        DuoPermission.DS,
        "MONDO:0004992",
        [DuoModifier.NCU, DuoModifier.MOR, DuoModifier.TS, DuoModifier.GS, DuoModifier.IS, DuoModifier.US, DuoModifier.PS],
        [TypedId.Parse<NationCode>("DE"), France],
        ["Institut Curie"],
        ["alice@example.org"],
        ["oncology-2025"],
        new DateOnly(2030, 12, 31),
        new DateOnly(2026, 1, 1));

    public static Residency Residency { get; } = new(ResidencyKind.ListedNations, [TypedId.Parse<NationCode>("BE"), TypedId.Parse<NationCode>("DE")]);

    public static DatasetSpec DatasetSpec { get; } = new()
    {
        Id = TypedId.Parse<DatasetId>("cancer-registry"),
        Title = "Cancer registry",
        Description = "National cancer registry, 2010-2024.",
        HomeNation = France,
        Location = new Uri("s3://registry/cancer/2024/"),
        SizeBytes = 123_456_789_012,
        RecordCount = 4_200_000,
        Sha256 = TypedId.Parse<Sha256Digest>(new string('a', 63) + "f"),
        Format = "parquet",
        SchemaSummary = "patient_id: string, diagnosis: string, year: int",
        Licence = TypedId.Parse<SpdxExpression>("(CC-BY-4.0 OR MIT) AND Apache-2.0"),
        Steward = "Registry office <registry@example.org>",
        Tags = ["cancer", "registry"],
        Visibility = Visibility.Private,
        Residency = Residency,
        DataUse = DataUse,
        Access = new DatasetAccess(RequiresGrant: true),
        Exports = ExportPolicy.MaskedUpdates,
    };

    public static DataAccessGrant DataAccessGrant { get; } = new()
    {
        Id = "dag-0001",
        Dataset = new DatasetRef(France, TypedId.Parse<DatasetId>("cancer-registry")),
        User = "uni:alice",
        Consortium = "oncology-2025",
        Nation = France,
        Purpose = ResearchCategory.DiseaseSpecific,
        DiseaseTerm = "MONDO:0004992",
        Justification = "Survival model for the 2025 study.",
        Status = DataAccessGrantStatus.Revoked,
        RequestedBy = "uni:alice",
        RequestedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        ApprovedBy = "committee@fr",
        ApprovedAt = new DateTimeOffset(2026, 1, 3, 3, 4, 5, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2027, 1, 3, 3, 4, 5, TimeSpan.Zero),
        RevokedBy = "committee@fr",
        RevokedAt = new DateTimeOffset(2026, 6, 3, 3, 4, 5, TimeSpan.Zero),
        SignerKey = new string('k', 44),
        Signature = new string('s', 88),
    };

    public static DatasetRecord DatasetRecord { get; } = new()
    {
        Spec = DatasetSpec,
        Status = CatalogueStatus.Withdrawn,
        StatusReason = "superseded by cancer-registry-v2",
        Version = 7,
        CreatedAt = s_created,
        UpdatedAt = s_updated,
        ReferencedBy = ["model:sovereign-llm-7b@1.0"],
    };

    public static GpuNodeSpec GpuNodeSpec { get; } = new()
    {
        Id = TypedId.Parse<NodeId>("gpu-paris-01"),
        Site = "Paris-Saclay",
        Accelerator = TypedId.Parse<AcceleratorSlug>("h100-sxm"),
        Count = 8,
        MemoryGb = 80,
        Lease = TimeSpan.FromSeconds(45),
        Simulated = true,
    };

    public static Allocation Allocation { get; } = new("FR/train-42", 4, s_created);

    public static GpuNodeRecord GpuNodeRecord { get; } = new()
    {
        Spec = GpuNodeSpec,
        State = NodeState.Draining,
        StateReason = "maintenance at 18:00",
        Status = CatalogueStatus.Withdrawn,
        LastHeartbeat = s_updated,
        LeaseExpiresAt = s_updated.AddSeconds(45),
        PowerDrawWatts = 4312.5,
        PowerSource = PowerSource.Measured,
        Allocations = [Allocation],
        Version = 12,
        CreatedAt = s_created,
        UpdatedAt = s_updated,
    };

    public static LineageStep LineageStep { get; } = new("aggregate", TypedId.Parse<NationCode>("SE"), 3, 0.75, 12.5);

    public static ModelRestrictions ModelRestrictions { get; } = new() { MayLeave = true, Nations = [TypedId.Parse<NationCode>("DE"), TypedId.Parse<NationCode>("SE")] };

    public static ModelLineage Lineage { get; } = new([TypedId.Parse<DatasetRef>("FR/cancer-registry")], TypedId.Parse<JobRef>("FR/train-42"))
    {
        Round = 3,
        Workload = "tabular-train",
        WorkloadVersion = "1.2.0",
        Conditions = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal, [new KeyValuePair<string, string>("FR/cancer-registry", "residency home-only; exports maskedUpdates")]),
        Steps = [LineageStep],
    };

    public static ModelArtifactSpec ModelArtifactSpec { get; } = new()
    {
        Ref = TypedId.Parse<ModelRef>("sovereign-llm-7b@1.0"),
        Sha256 = TypedId.Parse<Sha256Digest>(new string('b', 64)),
        Format = "safetensors",
        SizeBytes = 14_000_000_000,
        Licence = TypedId.Parse<SpdxExpression>("Apache-2.0"),
        BaseModel = TypedId.Parse<ModelRef>("base-7b@0.9"),
        Lineage = Lineage,
        Metrics = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal, [new KeyValuePair<string, double>("accuracy", 0.91), new KeyValuePair<string, double>("loss", 1.25)]),
        EnergyKwh = 1234.5,
        EmissionsGco2e = 68_144.4,
        Description = "Fine-tuned on the cancer registry.",
        Restrictions = ModelRestrictions,
    };

    public static ModelEvaluationStatement EvaluationStatement { get; } = new(
        Guid.Parse("5c0e2f1a-8b3d-4e6f-9a1b-2c3d4e5f6a7b"),
        TypedId.Parse<ModelRef>("sovereign-llm-7b@1.0"),
        TypedId.Parse<Sha256Digest>("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        TypedId.Parse<DatasetRef>("SE/bench"),
        TypedId.Parse<NationCode>("SE"),
        s_updated,
        2000,
        0.875,
        0.91,
        0.31,
        0.04);

    public static SignedModelEvaluation SignedEvaluation { get; } = new(EvaluationStatement, "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "c2lnbmF0dXJl");

    public static ModelArtifactRecord ModelArtifactRecord { get; } = new()
    {
        Spec = ModelArtifactSpec,
        HomeNation = France,
        Status = CatalogueStatus.Withdrawn,
        StatusReason = "replaced by 1.1",
        Version = 3,
        CreatedAt = s_created,
        UpdatedAt = s_updated,
        ReferencedBy = ["model:sovereign-llm-7b@1.1"],
        Evaluations = [SignedEvaluation],
    };

    public static NationPolicies Policies { get; } = new(Residency, Visibility.Private, 0.25);

    public static NationProfile NationProfile { get; } = new()
    {
        Code = France,
        Name = "France",
        Pue = 1.3,
        GridZone = "FR",
        ApiEndpoint = new Uri("https://fr.federation.example/api/"),
        FederationEndpoint = new Uri("https://fr.federation.example/federation/"),
        Policies = Policies,
        Version = 4,
    };

    public static CommandResult<DatasetRecord> Refused { get; } =
        CommandResult.Refused(CommandStatus.VersionMismatch, "version 6 is stale", DatasetRecord, "version");

    public static AcceleratorCapacity Capacity { get; } = new(TypedId.Parse<AcceleratorSlug>("h100-sxm"), 6, 16);

    public static WorkloadRef Workload { get; } = new("llm-finetune", "2.1.0");

    public static IntensityForecast Forecast { get; } = new()
    {
        Source = "series:FR",
        Fallback = true,
        Reason = "the provider answered 503; the annual figure stands in",
        From = s_updated,
        Hourly = [55.2, 48.1, 61.7],
    };

    public static CapabilityAdvert Advert { get; } = new()
    {
        Nation = France,
        Name = "France",
        Accelerators = [Capacity],
        Pue = 1.2,
        GridZone = "FR",
        GridIntensityGco2PerKwh = 55.2,
        QueueDepth = 3,
        Workloads = [Workload],
        SoftwareVersion = "1.0.0",
        ProtocolVersions = [1],
        IssuedAt = s_updated,
        Sequence = 42,
        SenderEpoch = 1_733_300_000_000,
        Simulated = true,
        Forecast = Forecast,
        Draining = true,
    };

    public static PeerStatus PeerStatus { get; } = new()
    {
        Nation = France,
        Health = PeerHealth.Unreachable,
        HealthReason = "no advert for 4 s",
        LastAdvert = Advert,
        LastAdvertAt = s_created,
        LastContact = s_updated,
        RoundTripMs = 1.5,
        ConsecutiveFailures = 3,
        LastError = "connection refused",
        CircuitOpenUntil = s_updated,
        RejectedAdverts = 1,
        Flags = ["pue: FR advertises a PUE of 0.5, under 1.0"],
        Transparency = "inconsistent",
        TransparencyReason = "the head of size 8 does not extend the head of size 5",
    };

    public static JobOwner Owner { get; } = new("alice@example.org", "onco-consortium");

    public static JobPurpose Purpose { get; } = new()
    {
        Use = ResearchCategory.DiseaseSpecific,
        DiseaseTerm = "MONDO:0004992",
        Genetic = true,
        MethodsDevelopment = true,
        Commercial = true,
        ForProfit = true,
        EthicsApprovalReference = "IRB-2025-117",
        Institution = "Institut Curie",
        Project = "oncology-2025",
        CollaboratorAgreed = true,
        PublicationCommitted = true,
        ReturnCommitted = true,
        PublicationPlannedOn = new DateOnly(2026, 1, 31),
    };

    public static AcceleratorRequest AcceleratorRequest { get; } = new()
    {
        Count = 4,
        MinMemoryGb = 40,
        Models = [TypedId.Parse<AcceleratorSlug>("h100-sxm"), TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm")],
    };

    public static WorkEstimate Work { get; } = new() { AcceleratorHours = 12.5, ReferenceAccelerator = TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm"), Flops = 4.2e18 };

    public static WorkloadCall WorkloadCall { get; } = new()
    {
        Name = "llm-finetune",
        Version = "2.1.0",
        Arguments = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["epochs"] = "3", ["lr"] = "0.0002" }.ToImmutableSortedDictionary(StringComparer.Ordinal),
    };

    public static JobOutput Output { get; } = new("checkpoint", "the fine-tuned weights");

    public static FederatedAggregation Aggregation { get; } = new(AggregationRule.Fedprox, 0.01);

    public static FederatedStopping Stopping { get; } = new(StoppingRule.ValidationLoss, 0.001);

    public static FederatedRoundPolicy RoundPolicy { get; } = new() { OnFailure = RoundFailurePolicy.SkipNation, WaitMinutes = 45 };

    public static DifferentialPrivacy Privacy { get; } = new(1.5, 1.1);

    public static FederatedOutput FederatedOutput { get; } = new()
    {
        Model = TypedId.Parse<ModelRef>("outcome-model@1.0.0"),
        Licence = TypedId.Parse<SpdxExpression>("CC-BY-4.0"),
        Description = "predicts the outcome at 30 days",
    };

    public static FederatedSpec Federated { get; } = new()
    {
        Training = WorkloadCall,
        Aggregation = Aggregation,
        Rounds = 8,
        Stopping = Stopping,
        RoundPolicy = RoundPolicy,
        SecureAggregation = true,
        MinContributors = 3,
        Privacy = Privacy,
        Output = FederatedOutput,
    };

    public static JobSpec JobSpec { get; } = new()
    {
        Id = "train-42",
        Owner = Owner,
        Inputs = [TypedId.Parse<DatasetRef>("FR/cancer-registry"), TypedId.Parse<DatasetRef>("DE/genome-panel")],
        Purpose = Purpose,
        Accelerators = AcceleratorRequest,
        Work = Work,
        Walltime = TimeSpan.FromHours(12),
        Deadline = s_updated,
        Priority = 5,
        Workload = WorkloadCall,
        Outputs = [Output],
        Federated = Federated,
        Tier = JobTier.Student,
        Course = "ml-101",
        Deferrable = true,
    };

    public static ShareLine ShareLine { get; } = new() { Name = "FR", Entitlement = 0.5, Usage = 120.5, Factor = 0.61, Held = 6, Borrowed = 2 };

    public static StudentTierLine StudentTier { get; } = new() { Quota = 4, Held = 1, Usage = 2.5, MaxWalltimeMinutes = 120, MaxPerUser = 2, MaxPerCourse = 8, Courses = ["ml-101"] };

    public static ReportedUsageLine ReportedUsage { get; } = new() { Reporter = "DE", Nation = "FR", Usage = 3.25, ReportedUntil = s_created };

    public static CourseRecord Course { get; } = new() { Id = "ml-101", Supervisor = "uni:prof", Title = "Machine learning 101", Source = CourseSources.Api, RegisteredAt = s_created, RegisteredBy = "config:operator" };

    public static BorrowedRunLine BorrowedRun { get; } = new()
    {
        Job = "DE/train-7", Epoch = 2, Consortium = "climate", Accelerators = 4, StartedAt = s_created, EndsBy = s_updated, ReturnBy = s_updated,
    };

    public static BorrowedRunEntry BorrowedRunEntry { get; } = new("exec-DE/train-42#2", TypedId.Parse<JobRef>("DE/train-42"), 2, "climate", 4, s_created, s_updated, s_updated);

    public static SharesView SharesView { get; } = new()
    {
        Nation = "FR",
        At = s_created,
        HalfLifeHours = 168,
        Total = 80,
        Free = 12,
        Nations = [ShareLine],
        Consortia = [ShareLine with { Name = "climate" }],
        Students = StudentTier,
        Reported = [ReportedUsage],
        BorrowedRuns = [BorrowedRun],
        Courses = [Course],
    };

    public static Exclusion Exclusion { get; } = new(RoutingRule.DataUse, "dataset FR/cancer-registry: NCU (DUO:0000046) ...", "FR/cancer-registry", "NCU");

    public static ScoreBreakdown Score { get; } = new()
    {
        Accelerator = TypedId.Parse<AcceleratorSlug>("h100-sxm"),
        AcceleratorHours = 3.94,
        RunHours = 0.99,
        PowerWatts = 700,
        Pue = 1.2,
        ComputeKwh = 3.31,
        TransferBytes = 5_000_000_000,
        TransferKwh = 0.3,
        GridIntensityGco2PerKwh = 55.2,
        ComputeGco2e = 182.7,
        TransferGco2e = 16.56,
        ExpectedWaitHours = 0.5,
        Total = 204.26,
    };

    public static ScoreWeights Weights { get; } = new() { PerGco2e = 2, PerWaitHour = 15, TransferKwhPerGb = 0.059, QueuedJobHours = 2 };

    public static CandidateVerdict Verdict { get; } = new() { Nation = France, Rank = 1, Exclusions = [Exclusion], Score = Score, Notes = ["gridIntensityGco2PerKwh: the reference is used"] };

    public static FederatedStep Step { get; } = new() { Kind = FederatedStepKind.Aggregation, Nation = France, Workload = WorkloadCall, Inputs = [TypedId.Parse<DatasetRef>("FR/cancer-registry")] };

    public static BorderCrossing Crossing { get; } = new(TypedId.Parse<NationCode>("DE"), France, CrossingKind.Updates, "DE/genome-panel exports updates");

    public static AggregatorVerdict Aggregator { get; } = new()
    {
        Nation = France,
        Rank = 2,
        Exclusions = [Exclusion],
        GridIntensityGco2PerKwh = 55.2,
        Pue = 1.2,
        Gco2PerAcceleratorKwh = 66.24,
        Contributors = 2,
    };

    public static FederatedPlan FederatedPlan { get; } = new()
    {
        Planned = true,
        Summary = "federated: local steps in DE, FR; aggregation in SE",
        Aggregator = France,
        Steps = [Step],
        Crossings = [Crossing],
        Aggregators = [Aggregator],
        Refusals = [Exclusion],
    };

    public static TimeShift TimeShift { get; } = new()
    {
        Deferred = true,
        StartAt = s_updated,
        FinishBy = s_updated.AddHours(12),
        Nation = France,
        NowNation = TypedId.Parse<NationCode>("DE"),
        NowGco2e = 812.5,
        WindowGco2e = 96.3,
        AvoidedGco2e = 716.2,
        WindowsCompared = 36,
        Reason = "FR from 02:00 UTC is the cleanest window that finishes by the deadline",
    };

    public static RoutingDecision Decision { get; } = new()
    {
        Job = TypedId.Parse<JobRef>("DE/train-42"),
        DecidedAt = s_created,
        Chosen = France,
        Summary = "FR: lowest score",
        Candidates = [Verdict],
        Weights = Weights,
        Federated = FederatedPlan,
        TimeShift = TimeShift,
    };

    public static JobRef JobRef { get; } = TypedId.Parse<JobRef>("DE/train-42");

    public static JobEvent JobEvent { get; } = new(7, s_updated, JobState.Running, 2, France, "FR: running: 40 %", 0.4);

    public static JobResult JobResult { get; } = new()
    {
        ExitCode = 3,
        Message = "finished with exit code 3",
        RunSeconds = 5678.5,
        EnergyKwh = 3.49,
        EmissionsGco2e = 192.6,
        EnergyMethod = "tdp-estimate",
        PowerWatts = 1400,
        StagedBytes = 2_000_000,
        TransferKwh = 0.00012,
        Executor = "slurm",
        Model = TypedId.Parse<ModelRef>("outcome-model@1.0.0"),
        ValidationAccuracy = 0.87,
        ValidationLoss = 0.31,
    };

    public static ExecutionRun ExecutionRun { get; } = new()
    {
        Executor = "slurm",
        Pool = "hpc",
        Handle = "4242",
        Directory = "/var/lib/federation/jobs/DE/train-42/e2",
        StagedBytes = 2_000_000,
    };

    public static Admission Admission { get; } = new(France, 2, true, "2 x h100-sxm free now (6 of 16)", 30);

    public static DatasetTermsStatement TermsStatement { get; } = new(TypedId.Parse<DatasetRef>("FR/cancer-registry"), 7, Residency, DataUse) { Exports = ExportPolicy.Updates };

    public static SignedDatasetTerms SignedTerms { get; } = new(TermsStatement, "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "c2lnbmF0dXJl");

    public static VouchedIdentity Identity { get; } = new()
    {
        Origin = TypedId.Parse<NationCode>("DE"), Subject = "uni:alice", Consortia = ["c1"], Courses = ["ml-101"], Roles = ["consortium-member", "student"],
    };

    public static JobOffer Offer { get; } = new() { Job = JobRef, Epoch = 2, Spec = JobSpec, LeaseSeconds = 30, InputTerms = [SignedTerms], Identity = Identity };

    public static ExecutionReport Report { get; } = new()
    {
        Job = JobRef,
        Epoch = 2,
        Sequence = 5,
        State = JobState.Succeeded,
        Message = "finished with exit code 0",
        Progress = 1,
        Result = JobResult,
    };

    public static LeaseAnswer LeaseAnswer { get; } = new(LeaseVerdict.Fenced, 30, "epoch 1 is stale");

    public static ReportAnswer ReportAnswer { get; } = new(true, true, "epoch 1 is stale");

    public static JobCancellation Cancellation { get; } = new(JobRef, 1, "lease expired", true);

    public static LeaseRenewal Renewal { get; } = new(JobRef, 2);

    public static JobRecord JobRecord { get; } = new()
    {
        Ref = JobRef,
        Spec = JobSpec,
        State = JobState.Running,
        StateReason = "FR: running: 40 %",
        Epoch = 2,
        Nation = France,
        Decision = Decision,
        Admissions = [Admission],
        Result = JobResult,
        Progress = 0.4,
        SubmittedAt = s_created,
        UpdatedAt = s_updated,
        FinishedAt = s_updated,
        Version = 9,
        LastEvent = 7,
    };

    public static CheckpointRequest CheckpointRequest { get; } = new() { Reason = "reclaimed: FR needs 4 accelerators", AskedAt = s_created, GiveBackBy = s_updated };

    public static ExecutionRecord ExecutionRecord { get; } = new()
    {
        Job = JobRef,
        Epoch = 2,
        Spec = JobSpec,
        Admission = Admission,
        State = JobState.Running,
        StateReason = "running on 2 x h100-sxm",
        Accelerator = TypedId.Parse<AcceleratorSlug>("h100-sxm"),
        Allocations = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("gpu-a01", 2)]),
        StartedAt = s_created,
        FinishedAt = s_updated,
        LeaseSeconds = 30,
        LeaseRenewedAt = s_updated,
        Progress = 0.4,
        Result = JobResult,
        Fenced = true,
        Version = 4,
        Run = ExecutionRun,
        Checkpoint = CheckpointRequest,
    };

    public static OutboxMessage Outbox { get; } = new()
    {
        Id = Guid.Parse("5f0c8a43-3a57-4a1e-9c39-0f6f3a1b2c4d"),
        To = France,
        CreatedAt = s_created,
        Message = new OfferMessage(Offer),
        Attempts = 3,
        LastError = "connection refused",
        TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    };

    public static Delivery Delivery { get; } = new() { Delivered = true, Error = "none", Admission = Admission, ReportAnswer = ReportAnswer, LeaseAnswer = LeaseAnswer };

    /// <summary>Every sample, keyed by <see cref="WireSample.Name"/>.</summary>
    public static IReadOnlyDictionary<string, WireSample> All { get; } = new WireSample[]
    {
        new("DatasetRecord", DatasetRecord, HasValueEquality: false),
        new("GpuNodeRecord", GpuNodeRecord, HasValueEquality: false),
        new("ModelArtifactRecord", ModelArtifactRecord, HasValueEquality: false),
        new("NationProfile", NationProfile, HasValueEquality: true),
        new("CommandResult<DatasetRecord>", Refused, HasValueEquality: false),
        new("DatasetSpec", DatasetSpec, HasValueEquality: true),
        new("DatasetAccess", new DatasetAccess(RequiresGrant: true), HasValueEquality: true),
        new("DataAccessGrant", DataAccessGrant, HasValueEquality: true),
        new("GpuNodeSpec", GpuNodeSpec, HasValueEquality: true),
        new("ModelArtifactSpec", ModelArtifactSpec, HasValueEquality: true),
        new("DataUseConditions", DataUse, HasValueEquality: true),
        new("Residency", Residency, HasValueEquality: true),
        new("ModelLineage", Lineage, HasValueEquality: true),
        new("LineageStep", LineageStep, HasValueEquality: true),
        new("ModelRestrictions", ModelRestrictions, HasValueEquality: true),
        new("ModelEvaluationStatement", EvaluationStatement, HasValueEquality: true),
        new("SignedModelEvaluation", SignedEvaluation, HasValueEquality: true),
        new("Allocation", Allocation, HasValueEquality: true),
        new("NodeHeartbeat", new NodeHeartbeat(612.25), HasValueEquality: true),
        new("NationPolicies", Policies, HasValueEquality: true),
        new("AcceleratorCapacity", Capacity, HasValueEquality: true),
        new("CapacitySnapshot", new CapacitySnapshot([Capacity], 3, 2), HasValueEquality: false),
        new("WaitClaim", new WaitClaim([Capacity.Slug, TypedId.Parse<AcceleratorSlug>("l4")], 4, 1, 0.625), HasValueEquality: false),
        new("WorkloadRef", Workload, HasValueEquality: true),
        new("CapabilityAdvert", Advert, HasValueEquality: false),
        new("PeerStatus", PeerStatus, HasValueEquality: false),
        new("JobOwner", Owner, HasValueEquality: true),
        new("JobPurpose", Purpose, HasValueEquality: true),
        new("AcceleratorRequest", AcceleratorRequest, HasValueEquality: true),
        new("WorkEstimate", Work, HasValueEquality: true),
        new("WorkloadCall", WorkloadCall, HasValueEquality: true),
        new("JobOutput", Output, HasValueEquality: true),
        new("JobSpec", JobSpec, HasValueEquality: true),
        new("ShareLine", ShareLine, HasValueEquality: true),
        new("StudentTierLine", StudentTier, HasValueEquality: false),
        new("SharesView", SharesView, HasValueEquality: false),
        new("ReportedUsageLine", ReportedUsage, HasValueEquality: true),
        new("CourseRecord", Course, HasValueEquality: true),
        new("BorrowedRunLine", BorrowedRun, HasValueEquality: true),
        new("BorrowedRunEntry", BorrowedRunEntry, HasValueEquality: true),
        new("ReclaimMark", new ReclaimMark("exec-DE/train-42#2", s_updated), HasValueEquality: true),
        new("ReclaimHoldEntry", new ReclaimHoldEntry(4, s_updated), HasValueEquality: true),
        new("BorrowedRuns", new BorrowedRuns(7, [BorrowedRunEntry], [new ReclaimHoldEntry(4, s_updated)]), HasValueEquality: false),
        new("Exclusion", Exclusion, HasValueEquality: true),
        new("ScoreBreakdown", Score, HasValueEquality: true),
        new("ScoreWeights", Weights, HasValueEquality: true),
        new("CandidateVerdict", Verdict, HasValueEquality: true),
        new("RoutingDecision", Decision, HasValueEquality: true),
        new("TimeShift", TimeShift, HasValueEquality: true),
        new("IntensityForecast", Forecast, HasValueEquality: true),
        new("FederatedAggregation", Aggregation, HasValueEquality: true),
        new("FederatedStopping", Stopping, HasValueEquality: true),
        new("FederatedRoundPolicy", RoundPolicy, HasValueEquality: true),
        new("DifferentialPrivacy", Privacy, HasValueEquality: true),
        new("FederatedOutput", FederatedOutput, HasValueEquality: true),
        new("FederatedSpec", Federated, HasValueEquality: true),
        new("FederatedStep", Step, HasValueEquality: true),
        new("BorderCrossing", Crossing, HasValueEquality: true),
        new("AggregatorVerdict", Aggregator, HasValueEquality: true),
        new("FederatedPlan", FederatedPlan, HasValueEquality: true),
        new("JobEvent", JobEvent, HasValueEquality: true),
        new("JobResult", JobResult, HasValueEquality: true),
        new("ExecutionRun", ExecutionRun, HasValueEquality: true),
        new("CheckpointRequest", CheckpointRequest, HasValueEquality: true),
        new("Admission", Admission, HasValueEquality: true),
        new("JobOffer", Offer, HasValueEquality: true),
        new("VouchedIdentity", Identity, HasValueEquality: true),
        new("DatasetTermsStatement", TermsStatement, HasValueEquality: true),
        new("SignedDatasetTerms", SignedTerms, HasValueEquality: true),
        new("ExecutionReport", Report, HasValueEquality: true),
        new("LeaseAnswer", LeaseAnswer, HasValueEquality: true),
        new("ReportAnswer", ReportAnswer, HasValueEquality: true),
        new("JobCancellation", Cancellation, HasValueEquality: true),
        new("LeaseRenewal", Renewal, HasValueEquality: true),
        new("JobRecord", JobRecord, HasValueEquality: false),
        new("ExecutionRecord", ExecutionRecord, HasValueEquality: false),
        new("OutboxMessage", Outbox, HasValueEquality: true),
        new("OfferMessage", new OfferMessage(Offer), HasValueEquality: true),
        new("ReportMessage", new ReportMessage(Report), HasValueEquality: true),
        new("RenewalMessage", new RenewalMessage(Renewal), HasValueEquality: true),
        new("CancellationMessage", new CancellationMessage(Cancellation), HasValueEquality: true),
        new("Delivery", Delivery, HasValueEquality: true),
        new("RoundDelivery", new Federation.Contracts.Learning.RoundDelivery(true, "wrongRound", "replayed or stale"), HasValueEquality: true),
        new("FederatedRunPlan", new Federation.Contracts.Learning.FederatedRunPlan(
            TypedId.Parse<JobRef>("FR/fed-7"), [TypedId.Parse<NationCode>("DE"), France], Federated, [0.5, -1.25], TimeSpan.FromMinutes(3))
        {
            Inputs = [TypedId.Parse<DatasetRef>("DE/genome-panel")],
            Purpose = Purpose,
            Owner = Owner,
        }, HasValueEquality: false),
        new("NationDrain", new Federation.Contracts.Nations.NationDrain
        {
            Draining = true, GiveBack = true, Reason = "hardware maintenance", Since = s_updated, Version = 3,
        }, HasValueEquality: true),
        new("FederatedRunStatus", new Federation.Contracts.Learning.FederatedRunStatus(TypedId.Parse<JobRef>("FR/fed-7"), "running", 3, 1, 2, 0.41, 0.87, "waiting for SE", 4), HasValueEquality: true),
        new("FederatedRunLineage", new Federation.Contracts.Learning.FederatedRunLineage(
            TypedId.Parse<JobRef>("FR/fed-7"), 2, [new LineageStep("local-train", France, 1, 0.0021, 0.12)], 0.87, 0.31, 1.9, 0.00001), HasValueEquality: false),
        new("LocalStepOutcome", new Federation.Contracts.Learning.LocalStepOutcome(301, [0.25, 0.75], 1800, 0.44, 0.81, 200, "exit code 1", 1.5, 2.25, 0.0000066), HasValueEquality: false),
        new("RunParticipation", new Federation.Contracts.Learning.RunParticipation(
            TypedId.Parse<JobRef>("FR/fed-7"), France, TypedId.Parse<DatasetRef>("DE/genome-panel"), ExportPolicy.MaskedUpdates, Federated)
        {
            Datasets = [TypedId.Parse<DatasetRef>("DE/genome-panel"), TypedId.Parse<DatasetRef>("DE/genome-panel-2")],
        }, HasValueEquality: false),
        new("AcceleratorSlug", TypedId.Parse<AcceleratorSlug>("mi300x"), HasValueEquality: true),
        new("DatasetId", TypedId.Parse<DatasetId>("cancer-registry"), HasValueEquality: true),
        new("DatasetRef", TypedId.Parse<DatasetRef>("DE/genome-panel"), HasValueEquality: true),
        new("JobRef", TypedId.Parse<JobRef>("SE/train-7"), HasValueEquality: true),
        new("ModelName", TypedId.Parse<ModelName>("sovereign-llm-7b"), HasValueEquality: true),
        new("ModelRef", TypedId.Parse<ModelRef>("sovereign-llm-7b@2024-06-rc.1"), HasValueEquality: true),
        new("ModelVersion", TypedId.Parse<ModelVersion>("2.0.1"), HasValueEquality: true),
        new("NationCode", TypedId.Parse<NationCode>("NO"), HasValueEquality: true),
        new("NodeId", TypedId.Parse<NodeId>("gpu-oslo-02"), HasValueEquality: true),
        new("Sha256Digest", TypedId.Parse<Sha256Digest>("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), HasValueEquality: true),
        new("SpdxExpression", TypedId.Parse<SpdxExpression>("GPL-2.0-or-later WITH Classpath-exception-2.0"), HasValueEquality: true),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The catalogue records and typed ids, the shapes the API and the read model exchange as JSON.</summary>
    public static IReadOnlyList<string> JsonDocuments { get; } =
    [
        "DatasetRecord", "GpuNodeRecord", "ModelArtifactRecord", "NationProfile", "CommandResult<DatasetRecord>", "JobSpec", "RoutingDecision", "JobRecord", "JobOffer", "ExecutionReport", "Admission",
        .. All.Values.Where(s => s.Value.GetType().Namespace == typeof(DatasetId).Namespace).Select(s => s.Name),
    ];
}
