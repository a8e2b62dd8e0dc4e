using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Contracts.Routing;

namespace Federation.Postgres.Tests.Jobs;

/// <summary>Builds valid job records with only the fields a test cares about, or with every field.</summary>
public static class JobRecords
{
    private static readonly DateTimeOffset s_submitted = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static JobRecord Job(
        string id,
        int version = 1,
        JobState state = JobState.Submitted,
        string owner = "alice@example.org",
        string? nation = null,
        string origin = "FR",
        string reason = "") => new()
        {
            Ref = TypedId.Parse<JobRef>($"{origin}/{id}"),
            Spec = Spec(id, owner),
            State = state,
            StateReason = reason,
            Nation = nation is null ? null : TypedId.Parse<NationCode>(nation),
            SubmittedAt = s_submitted,
            UpdatedAt = s_submitted.AddMinutes(version),
            Version = version,
        };

    /// <summary>A record with every optional field set, and timestamps off UTC.</summary>
    public static JobRecord FullJob(string id, int version = 9)
    {
        var job = TypedId.Parse<JobRef>($"FR/{id}");
        var germany = TypedId.Parse<NationCode>("DE");
        var h100 = TypedId.Parse<AcceleratorSlug>("h100-sxm");
        var updated = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2));
        var result = new JobResult
        {
            ExitCode = 0,
            Message = "finished with exit code 0",
            RunSeconds = 5678.5,
            EnergyKwh = 3.49,
            EmissionsGco2e = 192.6,
            EnergyMethod = "tdp-estimate",
        };
        return new JobRecord
        {
            Ref = job,
            Spec = Spec(id, "alice@example.org") with
            {
                Inputs = [TypedId.Parse<DatasetRef>("FR/cancer-registry"), TypedId.Parse<DatasetRef>("DE/genome-panel")],
                Purpose = new JobPurpose
                {
                    Use = ResearchCategory.DiseaseSpecific,
                    DiseaseTerm = "MONDO:0004992",
                    Genetic = true,
                    EthicsApprovalReference = "IRB-2025-117",
                    Institution = "Institut Curie",
                    Project = "oncology-2025",
                    PublicationPlannedOn = new DateOnly(2026, 1, 31),
                },
                Accelerators = new AcceleratorRequest { Count = 4, MinMemoryGb = 40, Models = [h100] },
                Work = new WorkEstimate { AcceleratorHours = 12.5, ReferenceAccelerator = h100, Flops = 4.2e18 },
                Walltime = TimeSpan.FromHours(12),
                Deadline = updated.AddDays(7),
                Priority = 5,
                Workload = new WorkloadCall
                {
                    Name = "llm-finetune",
                    Version = "2.1.0",
                    Arguments = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("epochs", "3"), KeyValuePair.Create("lr", "0.0002")]),
                },
                Outputs = [new JobOutput("checkpoint", "the fine-tuned weights")],
            },
            State = JobState.Succeeded,
            StateReason = "DE: finished with exit code 0",
            Epoch = 2,
            Nation = germany,
            Decision = new RoutingDecision
            {
                Job = job,
                DecidedAt = s_submitted.AddMinutes(1),
                Chosen = germany,
                Summary = "DE: lowest score",
                Candidates =
                [
                    new CandidateVerdict
                    {
                        Nation = germany,
                        Rank = 1,
                        Score = new ScoreBreakdown
                        {
                            Accelerator = h100,
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
                        },
                    },
                    new CandidateVerdict
                    {
                        Nation = TypedId.Parse<NationCode>("FR"),
                        Exclusions = [new Exclusion(RoutingRule.DataUse, "dataset DE/genome-panel: GS allows use only in DE", "DE/genome-panel", "GS")],
                    },
                ],
                Weights = new ScoreWeights { PerGco2e = 2, PerWaitHour = 15 },
            },
            Admissions = [new Admission(germany, 1, false, "no h100-sxm free"), new Admission(germany, 2, true, "2 x h100-sxm free now", 30)],
            Result = result,
            Progress = 1,
            SubmittedAt = s_submitted,
            UpdatedAt = updated,
            FinishedAt = updated,
            Version = version,
            LastEvent = 17,
        };
    }

    /// <summary>The record as the read model's JSON writes it, to compare records whole.</summary>
    public static string Json(JobRecord record) => JsonSerializer.Serialize(record, FederationJson.Options);

    private static JobSpec Spec(string id, string owner) => new()
    {
        Id = id,
        Owner = new JobOwner(owner, null),
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = 1 },
        Work = new WorkEstimate { AcceleratorHours = 1 },
        Walltime = TimeSpan.FromHours(1),
        Workload = new WorkloadCall { Name = "llm-finetune", Version = "2.1.0" },
    };
}
