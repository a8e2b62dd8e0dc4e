using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Federation.Learning.Aggregation;

/// <summary>
/// N(0, 1) by the Box–Muller transform over uniforms from the operating system's CSPRNG, so nobody can
/// predict the noise from a seed. Floating-point sampling is not the discrete Gaussian: see
/// docs/secure-aggregation.md for what that leaves open.
/// </summary>
public sealed class CryptographicNoiseSource : INoiseSource
{
    private double? _spare;

    /// <inheritdoc />
    public double NextStandardNormal()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return spare;
        }

        var u1 = NextOpenUnit();
        var u2 = NextOpenUnit();
        var radius = Math.Sqrt(-2 * Math.Log(u1));
        _spare = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    private static double NextOpenUnit()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var bits = BinaryPrimitives.ReadUInt64LittleEndian(bytes) >> 11;
        return (bits + 0.5) / (1UL << 53);
    }
}
