namespace Federation.Silo.Api.Requests;

/// <summary>The lineage part of a model body.</summary>
public sealed class LineageRequest
{
    /// <summary>Dataset references, <c>NATION/dataset-id</c>.</summary>
    public List<string>? Datasets { get; set; }

    /// <summary>The producing job, <c>ORIGIN/job-id</c>.</summary>
    public string? ProducingJob { get; set; }

    /// <summary>The federated round of the producing job, from 1.</summary>
    public int? Round { get; set; }

    /// <summary>The workload that produced the model.</summary>
    public string? Workload { get; set; }

    /// <summary>The workload's version.</summary>
    public string? WorkloadVersion { get; set; }

    /// <summary>The conditions of each input dataset as its home stated them, keyed by a reference listed in <see cref="Datasets"/>.</summary>
    public Dictionary<string, string>? Conditions { get; set; }

    /// <summary>The steps that produced the model, with their energy and emissions.</summary>
    public List<LineageStepRequest>? Steps { get; set; }
}
