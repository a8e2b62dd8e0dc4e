namespace Federation.Contracts.Jobs.Requests;

/// <summary>Body of POST /api/v1/routes:plan (and of job submission): a job spec as a client writes it.</summary>
public sealed class JobRequest
{
    /// <summary>The id the client chooses, unique in this nation (a slug).</summary>
    public string? Id { get; set; }

    /// <summary>Who the job belongs to.</summary>
    public JobOwnerRequest? Owner { get; set; }

    /// <summary>Input datasets as <c>NATION/dataset-id</c>.</summary>
    public List<string>? Inputs { get; set; }

    /// <summary>What the job is for.</summary>
    public JobPurposeRequest? Purpose { get; set; }

    /// <summary>The accelerators it needs.</summary>
    public AcceleratorsRequest? Accelerators { get; set; }

    /// <summary>How much computing it needs.</summary>
    public WorkRequest? Work { get; set; }

    /// <summary>Walltime limit, minutes.</summary>
    public double? WalltimeMinutes { get; set; }

    /// <summary>When results are needed by (ISO 8601 with offset).</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Priority among the owner's jobs, -1000 to 1000.</summary>
    public int? Priority { get; set; }

    /// <summary>The allow-listed workload.</summary>
    public WorkloadRequest? Workload { get; set; }

    /// <summary>What the job produces.</summary>
    public List<JobOutputRequest>? Outputs { get; set; }

    /// <summary>Makes the job federated: local training where each input lives, aggregation by <see cref="Workload"/>.</summary>
    public FederatedRequest? Federated { get; set; }

    /// <summary>The tier: <c>standard</c> (the default) or <c>student</c>, which needs <see cref="Course"/>.</summary>
    public string? Tier { get; set; }

    /// <summary>The registered course of a student-tier job.</summary>
    public string? Course { get; set; }

    /// <summary>True: the job may wait for cleaner grid hours, and must then finish by <see cref="Deadline"/> (required).</summary>
    public bool? Deferrable { get; set; }
}
