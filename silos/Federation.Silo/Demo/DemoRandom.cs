using System.Security.Cryptography;
using System.Text;

namespace Federation.Silo.Demo;

/// <summary>
/// A small deterministic random source (xorshift64*), so that a demo file has the same bytes, and
/// so the same sha256, on every machine and every .NET version.
/// </summary>
public sealed class DemoRandom
{
    private ulong _state;

    /// <summary>A source seeded from <paramref name="seed"/>'s SHA-256.</summary>
    public DemoRandom(string seed)
    {
        _state = BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(seed)), 0) | 1;
    }

    /// <summary>A number in [0, <paramref name="max"/>).</summary>
    public int Next(int max)
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return (int)((_state * 0x2545F4914F6CDD1DUL >> 33) % (ulong)max);
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>) with one decimal.</summary>
    public double Between(double min, double max) => Math.Round(min + ((max - min) * Next(10_000) / 10_000.0), 1);

    /// <summary>One of <paramref name="choices"/>.</summary>
    public string Pick(params string[] choices) => choices[Next(choices.Length)];
}
