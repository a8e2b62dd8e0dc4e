namespace Federation.Execution.Workloads;

/// <summary>One parameter of an allow-listed workload: what a job's argument of that name must be.</summary>
public sealed record WorkloadParameter
{
    /// <summary>The type of the value.</summary>
    public WorkloadParameterType Type { get; init; }

    /// <summary>True when every job must give it.</summary>
    public bool Required { get; init; }

    /// <summary>For strings: a regular expression the whole value must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>For strings: the longest value (default 256 characters).</summary>
    public int MaxLength { get; init; } = 256;

    /// <summary>For numbers: the smallest value allowed.</summary>
    public double? Minimum { get; init; }

    /// <summary>For numbers: the largest value allowed.</summary>
    public double? Maximum { get; init; }
}
