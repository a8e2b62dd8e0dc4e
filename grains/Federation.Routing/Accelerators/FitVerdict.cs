using Federation.Reference;

namespace Federation.Routing.Accelerators;

/// <summary>Whether an accelerator model with a given capacity fits a job's request, and why not.</summary>
/// <param name="Fits">True when it fits.</param>
/// <param name="Reason">Why it does not fit, naming the rule; null when it fits.</param>
/// <param name="Spec">The model's reference figures when it fits.</param>
public sealed record FitVerdict(bool Fits, string? Reason, AcceleratorSpec? Spec);
