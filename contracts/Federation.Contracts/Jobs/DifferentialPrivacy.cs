namespace Federation.Contracts.Jobs;

/// <summary>Differential privacy of a federated job's updates: each update clipped, then Gaussian noise added.</summary>
/// <param name="ClipNorm">The L2 norm every local update is clipped to (more than 0).</param>
/// <param name="NoiseMultiplier">The noise's standard deviation as a multiple of the clip norm (more than 0).</param>
[GenerateSerializer, Immutable, Alias("fed.DifferentialPrivacy")]
public sealed record DifferentialPrivacy(
    [property: Id(0)] double ClipNorm,
    [property: Id(1)] double NoiseMultiplier);
