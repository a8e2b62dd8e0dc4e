using Federation.Contracts.Ids;
using Federation.Execution;

namespace Federation.Grains.Execution;

/// <summary>Accelerators of one model in one pool.</summary>
/// <param name="Pool">The pool.</param>
/// <param name="Slug">The accelerator model.</param>
/// <param name="Free">Free now.</param>
/// <param name="Total">In service.</param>
public sealed record PoolCapacity(NodePool Pool, AcceleratorSlug Slug, int Free, int Total);
