namespace Federation.Silo.Api.Requests;

/// <summary>Where a model came from.</summary>
public sealed class LineageRequest
{
    /// <summary>Dataset references, <c>NATION/dataset-id</c>.</summary>
    public List<string>? Datasets { get; set; }

    /// <summary>The producing job, <c>ORIGIN/job-id</c>.</summary>
    public string? ProducingJob { get; set; }
}
