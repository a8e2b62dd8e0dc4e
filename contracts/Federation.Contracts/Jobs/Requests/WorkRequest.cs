namespace Federation.Contracts.Jobs.Requests;

/// <summary>A work estimate: accelerator-hours on a reference accelerator, or FLOPs.</summary>
public sealed class WorkRequest
{
    /// <summary>Accelerator-hours, summed over all accelerators.</summary>
    public double? AcceleratorHours { get; set; }

    /// <summary>The accelerator the hours refer to.</summary>
    public string? ReferenceAccelerator { get; set; }

    /// <summary>Floating-point operations.</summary>
    public double? Flops { get; set; }
}
