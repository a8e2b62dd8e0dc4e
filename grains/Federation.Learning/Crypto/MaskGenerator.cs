using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Federation.Learning.Crypto;

/// <summary>
/// The PRG that expands a 32-byte seed into a mask vector mod 2^32: AES-256 in counter mode (built from
/// ECB over counter blocks, as the BCL has no CTR mode) from a zero counter. Secure only while each seed
/// is used once, which the per-round, per-pair key derivation guarantees.
/// </summary>
public static class MaskGenerator
{
    /// <summary>Seed length in bytes.</summary>
    public const int SeedLength = 32;

    /// <summary>Expands <paramref name="seed"/> into <paramref name="length"/> uniform values mod 2^32.</summary>
    public static uint[] Expand(ReadOnlySpan<byte> seed, int length)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"seed must be {SeedLength} bytes, not {seed.Length}.", nameof(seed));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var blocks = (length + 3) / 4;
        var counters = new byte[blocks * 16];
        for (var b = 0; b < blocks; b++)
        {
            BinaryPrimitives.WriteInt64BigEndian(counters.AsSpan((b * 16) + 8, 8), b);
        }

        using var aes = Aes.Create();
        aes.Key = seed.ToArray();
        var stream = aes.EncryptEcb(counters, PaddingMode.None);
        var result = new uint[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = BinaryPrimitives.ReadUInt32LittleEndian(stream.AsSpan(i * 4, 4));
        }

        return result;
    }
}
