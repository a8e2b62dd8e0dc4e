namespace Federation.Learning.Aggregation;

/// <summary>
/// User-level (here: nation-level) differential privacy for a federated job: each nation clips its update
/// to L2 norm <see cref="ClipNorm"/>, and Gaussian noise of standard deviation NoiseMultiplier·ClipNorm is
/// added to every coordinate of the unmasked sum; the budget is reported as epsilon at <see cref="Delta"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.DifferentialPrivacySettings")]
public sealed record DifferentialPrivacySettings
{
    /// <summary>Creates the settings, or throws naming the field.</summary>
    public DifferentialPrivacySettings(double clipNorm, double noiseMultiplier, double delta)
    {
        if (!double.IsFinite(clipNorm) || clipNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "DifferentialPrivacy.ClipNorm must be a finite number above 0.");
        }

        if (!double.IsFinite(noiseMultiplier) || noiseMultiplier <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "DifferentialPrivacy.NoiseMultiplier must be a finite number above 0.");
        }

        if (!(delta is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "DifferentialPrivacy.Delta must be strictly between 0 and 1.");
        }

        ClipNorm = clipNorm;
        NoiseMultiplier = noiseMultiplier;
        Delta = delta;
    }

    /// <summary>The L2 norm C each nation clips its update to.</summary>
    [Id(0)]
    public double ClipNorm { get; }

    /// <summary>z: the noise's standard deviation is z·C.</summary>
    [Id(1)]
    public double NoiseMultiplier { get; }

    /// <summary>The delta at which epsilon is reported.</summary>
    [Id(2)]
    public double Delta { get; }

    /// <summary>The noise's standard deviation, z·C.</summary>
    public double NoiseStandardDeviation => NoiseMultiplier * ClipNorm;
}
