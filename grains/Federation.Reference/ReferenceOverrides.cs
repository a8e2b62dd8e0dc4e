namespace Federation.Reference;

/// <summary>
/// Configuration that replaces or adds reference figures (section <c>Federation:Reference</c>).
/// Every figure given here is reported with the source "configuration".
/// </summary>
public sealed class ReferenceOverrides
{
    /// <summary>Grid intensity per zone in gCO2e/kWh, replacing or adding to the shipped table.</summary>
    public Dictionary<string, double> GridIntensity { get; init; } = [];

    /// <summary>Accelerator figures per slug, replacing the shipped ones field by field, or adding a model.</summary>
    public Dictionary<string, AcceleratorOverride> Accelerators { get; init; } = [];
}

/// <summary>Figures of one accelerator given in configuration; unset fields keep the shipped value.</summary>
public sealed class AcceleratorOverride
{
    /// <summary>Vendor's model name (required for a new slug).</summary>
    public string? Model { get; init; }

    /// <summary>Vendor.</summary>
    public string? Vendor { get; init; }

    /// <summary>Memory per accelerator, GB (required for a new slug).</summary>
    public double? MemoryGb { get; init; }

    /// <summary>Board power, W (required for a new slug).</summary>
    public double? TdpWatts { get; init; }

    /// <summary>Dense BF16 TFLOPS.</summary>
    public double? Bf16DenseTflops { get; init; }

    /// <summary>FP32 TFLOPS.</summary>
    public double? Fp32Tflops { get; init; }

    /// <summary>FP16 tensor TFLOPS (used for throughput where there is no BF16 figure).</summary>
    public double? Fp16TensorTflops { get; init; }
}
