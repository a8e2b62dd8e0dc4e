namespace Federation.Silo.Execution;

/// <summary>One parameter of a workload (<c>Federation:Workloads:N:Parameters:NAME</c>).</summary>
public sealed class WorkloadParameterOptions
{
    /// <summary><c>string</c>, <c>integer</c>, <c>number</c> or <c>boolean</c>.</summary>
    public string Type { get; set; } = "string";

    /// <summary>Whether every job must give it.</summary>
    public bool Required { get; set; }

    /// <summary>For strings: a regular expression the whole value must match.</summary>
    public string? Pattern { get; set; }

    /// <summary>For strings: the longest value.</summary>
    public int MaxLength { get; set; } = 256;

    /// <summary>For numbers: the smallest value.</summary>
    public double? Minimum { get; set; }

    /// <summary>For numbers: the largest value.</summary>
    public double? Maximum { get; set; }
}
