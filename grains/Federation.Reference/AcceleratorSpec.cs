using Federation.Contracts.Ids;

namespace Federation.Reference;

/// <summary>One accelerator model of the shipped table, with the source of its figures.</summary>
/// <param name="Slug">Id used everywhere else, such as <c>h100-sxm</c>.</param>
/// <param name="Model">Vendor's model name.</param>
/// <param name="Vendor">Vendor.</param>
/// <param name="MemoryGb">Memory per accelerator, GB.</param>
/// <param name="TdpWatts">Board power / TDP, W.</param>
/// <param name="Bf16DenseTflops">Dense BF16 tensor TFLOPS, when the accelerator has BF16.</param>
/// <param name="Fp32Tflops">FP32 TFLOPS, when published.</param>
/// <param name="Source">Where the figures come from.</param>
/// <param name="Fp16TensorTflops">FP16 tensor TFLOPS, published for accelerators without BF16 (V100, T4).</param>
public sealed record AcceleratorSpec(
    AcceleratorSlug Slug,
    string Model,
    string Vendor,
    double MemoryGb,
    double TdpWatts,
    double? Bf16DenseTflops,
    double? Fp32Tflops,
    string Source,
    double? Fp16TensorTflops = null)
{
    /// <summary>
    /// The throughput the router converts work with: dense BF16 tensor TFLOPS, or FP16 tensor
    /// TFLOPS where the accelerator has no BF16; null when neither is known.
    /// </summary>
    public double? TensorTflops => Bf16DenseTflops ?? Fp16TensorTflops;
}
