namespace Federation.Learning.Quantisation;

/// <summary>How a scaled value is rounded to an integer level.</summary>
public enum RoundingMode
{
    /// <summary>Round to the nearest level (ties to even): error at most half a step per value.</summary>
    Nearest = 0,

    /// <summary>
    /// Round up with probability equal to the fractional part, from a seeded generator: unbiased, error
    /// below one step per value.
    /// </summary>
    Stochastic = 1,
}
