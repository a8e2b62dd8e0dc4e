namespace Federation.Learning.Quantisation;

/// <summary>
/// How float values are mapped to integers mod 2^32: clipped to [-ClipRange, ClipRange], shifted to
/// [0, 2·ClipRange] and scaled to [0, 2^LevelBits]. A sum of n contributions stays below 2^32 while
/// n ≤ <see cref="MaxContributors"/>, so the masked sum mod 2^32 is the exact integer sum.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.QuantisationParameters")]
public sealed record QuantisationParameters
{
    /// <summary>The fewest level bits accepted.</summary>
    public const int MinLevelBits = 8;

    /// <summary>The most level bits accepted: leaves room for at least two contributors.</summary>
    public const int MaxLevelBits = 30;

    /// <summary>Creates parameters, or throws naming the field and the rule it broke.</summary>
    public QuantisationParameters(double clipRange, int levelBits)
    {
        if (!double.IsFinite(clipRange) || clipRange <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clipRange), clipRange, "ClipRange must be a finite number above 0.");
        }

        if (levelBits is < MinLevelBits or > MaxLevelBits)
        {
            throw new ArgumentOutOfRangeException(nameof(levelBits), levelBits, $"LevelBits must be between {MinLevelBits} and {MaxLevelBits}.");
        }

        ClipRange = clipRange;
        LevelBits = levelBits;
    }

    /// <summary>Values are clipped to [-ClipRange, ClipRange] before quantisation.</summary>
    [Id(0)]
    public double ClipRange { get; }

    /// <summary>log2 of the number of steps across [-ClipRange, ClipRange].</summary>
    [Id(1)]
    public int LevelBits { get; }

    /// <summary>The largest level a single value maps to, 2^LevelBits.</summary>
    public long Levels => 1L << LevelBits;

    /// <summary>Levels per unit of the original value.</summary>
    public double Scale => Levels / (2 * ClipRange);

    /// <summary>The most contributions whose sum cannot wrap around 2^32.</summary>
    public int MaxContributors => (int)Math.Min(int.MaxValue, uint.MaxValue / Levels);

    /// <summary>
    /// The bound on |dequantised sum − true sum| per coordinate for <paramref name="contributors"/> values
    /// that lay inside the clip range: n/(2·Scale) for nearest rounding, n/Scale for stochastic rounding.
    /// </summary>
    public double SumErrorBound(int contributors, RoundingMode rounding) =>
        contributors * (rounding == RoundingMode.Nearest ? 0.5 : 1.0) / Scale;
}
