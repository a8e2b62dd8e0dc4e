namespace Federation.Execution.Workloads;

/// <summary>The type of a workload parameter.</summary>
public enum WorkloadParameterType
{
    /// <summary>Any text (narrowed by a pattern or a maximum length); <c>string</c> in configuration.</summary>
    Text = 0,

    /// <summary>A whole number; <c>integer</c> in configuration.</summary>
    WholeNumber = 1,

    /// <summary>A number.</summary>
    Number = 2,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean = 3,
}
