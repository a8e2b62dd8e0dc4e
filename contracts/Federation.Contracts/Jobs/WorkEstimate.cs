using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>
/// How much computing a job needs: either accelerator-hours on a named reference accelerator, or
/// floating-point operations. The router converts it to each candidate's accelerator by the
/// throughput ratio of the accelerator table.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.WorkEstimate")]
public sealed record WorkEstimate
{
    /// <summary>Accelerator-hours (summed over all accelerators) on <see cref="ReferenceAccelerator"/>.</summary>
    [Id(0)] public double? AcceleratorHours { get; init; }

    /// <summary>The accelerator <see cref="AcceleratorHours"/> were measured or estimated on.</summary>
    [Id(1)] public AcceleratorSlug? ReferenceAccelerator { get; init; }

    /// <summary>Floating-point operations, when the work is stated that way instead.</summary>
    [Id(2)] public double? Flops { get; init; }

    /// <summary>Work stated as accelerator-hours on <paramref name="reference"/>.</summary>
    public static WorkEstimate Hours(double acceleratorHours, AcceleratorSlug reference) =>
        new() { AcceleratorHours = acceleratorHours, ReferenceAccelerator = reference };

    /// <summary>Work stated as floating-point operations.</summary>
    public static WorkEstimate Operations(double flops) => new() { Flops = flops };
}
