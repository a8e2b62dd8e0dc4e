namespace Federation.Learning.Quantisation;

/// <summary>Quantises float vectors to uint levels and dequantises sums of them.</summary>
public static class Quantiser
{
    /// <summary>
    /// Clips each value to the clip range and maps it to a level in [0, 2^LevelBits]. Stochastic rounding
    /// draws from a generator seeded by <paramref name="seed"/>, so the same input and seed give the same levels.
    /// </summary>
    /// <returns>The levels, and how many values were outside the clip range.</returns>
    public static (uint[] Levels, int Clipped) Quantise(
        ReadOnlySpan<double> values, QuantisationParameters parameters, RoundingMode rounding, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var random = rounding == RoundingMode.Stochastic ? new Random(seed) : null;
        var result = new uint[values.Length];
        var clipped = 0;
        var c = parameters.ClipRange;
        var scale = parameters.Scale;
        var max = (double)parameters.Levels;
        for (var i = 0; i < values.Length; i++)
        {
            var x = values[i];
            if (!double.IsFinite(x))
            {
                throw new ArgumentException($"values[{i}] is {x}: every value must be finite.", nameof(values));
            }

            if (x < -c || x > c)
            {
                clipped++;
                x = Math.Clamp(x, -c, c);
            }

            var scaled = (x + c) * scale;
            double level;
            if (random is null)
            {
                level = Math.Round(scaled, MidpointRounding.ToEven);
            }
            else
            {
                var floor = Math.Floor(scaled);
#pragma warning disable CA5394 // Rounding noise needs to be unbiased and reproducible, not secret.
                level = random.NextDouble() < scaled - floor ? floor + 1 : floor;
#pragma warning restore CA5394
            }

            result[i] = (uint)Math.Clamp(level, 0, max);
        }

        return (result, clipped);
    }

    /// <summary>Maps the integer sum of <paramref name="contributors"/> quantised vectors back to a sum of values.</summary>
    public static double[] DequantiseSum(ReadOnlySpan<uint> sum, int contributors, QuantisationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (contributors < 1 || contributors > parameters.MaxContributors)
        {
            throw new ArgumentOutOfRangeException(nameof(contributors), contributors,
                $"contributors must be between 1 and {parameters.MaxContributors} (2^32 / 2^LevelBits) or the sum wraps.");
        }

        var result = new double[sum.Length];
        var offset = contributors * parameters.ClipRange;
        for (var i = 0; i < sum.Length; i++)
        {
            result[i] = (sum[i] / parameters.Scale) - offset;
        }

        return result;
    }

    /// <summary>Adds <paramref name="addend"/> into <paramref name="accumulator"/> mod 2^32.</summary>
    public static void AddInto(Span<uint> accumulator, ReadOnlySpan<uint> addend)
    {
        if (accumulator.Length != addend.Length)
        {
            throw new ArgumentException($"addend has {addend.Length} values, the accumulator {accumulator.Length}.", nameof(addend));
        }

        for (var i = 0; i < accumulator.Length; i++)
        {
            accumulator[i] = unchecked(accumulator[i] + addend[i]);
        }
    }

    /// <summary>Subtracts <paramref name="subtrahend"/> from <paramref name="accumulator"/> mod 2^32.</summary>
    public static void SubtractFrom(Span<uint> accumulator, ReadOnlySpan<uint> subtrahend)
    {
        if (accumulator.Length != subtrahend.Length)
        {
            throw new ArgumentException($"subtrahend has {subtrahend.Length} values, the accumulator {accumulator.Length}.", nameof(subtrahend));
        }

        for (var i = 0; i < accumulator.Length; i++)
        {
            accumulator[i] = unchecked(accumulator[i] - subtrahend[i]);
        }
    }
}
