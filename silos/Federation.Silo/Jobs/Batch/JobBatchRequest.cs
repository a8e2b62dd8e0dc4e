using Federation.Contracts.Jobs.Requests;

namespace Federation.Silo.Jobs.Batch;

/// <summary>Body of <c>POST /api/v1/jobs:batch</c>: up to <see cref="JobBatchEndpoints.MaxJobs"/> job specs, each as <c>POST /api/v1/jobs</c> takes it.</summary>
public sealed class JobBatchRequest
{
    /// <summary>The job specs, answered in this order.</summary>
    public List<JobRequest>? Jobs { get; set; }
}
