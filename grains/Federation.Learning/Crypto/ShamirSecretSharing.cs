using System.Numerics;
using System.Security.Cryptography;

namespace Federation.Learning.Crypto;

/// <summary>
/// Shamir's t-of-n secret sharing over GF(p) with the Mersenne prime p = 2^521 − 1, which holds any
/// secret of up to 64 bytes in one field element. Shares have no integrity check of their own: callers
/// compare a rebuilt secret with a commitment.
/// </summary>
public static class ShamirSecretSharing
{
    /// <summary>The most secret bytes one sharing holds.</summary>
    public const int MaxSecretLength = 64;

    /// <summary>Bytes of a share's value, big-endian.</summary>
    public const int ShareValueLength = 66;

    private static readonly BigInteger s_prime = (BigInteger.One << 521) - 1;

    /// <summary>Splits <paramref name="secret"/> into shares at x = 1..<paramref name="shares"/>, any <paramref name="threshold"/> of which rebuild it.</summary>
    public static SecretShare[] Split(ReadOnlySpan<byte> secret, int threshold, int shares)
    {
        if (secret.Length is 0 or > MaxSecretLength)
        {
            throw new ArgumentException($"secret must be 1 to {MaxSecretLength} bytes, not {secret.Length}.", nameof(secret));
        }

        if (threshold < 2 || threshold > shares)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"threshold must be between 2 and the number of shares ({shares}).");
        }

        var coefficients = new BigInteger[threshold];
        coefficients[0] = new BigInteger(secret, isUnsigned: true, isBigEndian: true);
        for (var k = 1; k < threshold; k++)
        {
            coefficients[k] = RandomFieldElement();
        }

        var result = new SecretShare[shares];
        for (var x = 1; x <= shares; x++)
        {
            var y = BigInteger.Zero;
            for (var k = threshold - 1; k >= 0; k--)
            {
                y = ((y * x) + coefficients[k]) % s_prime;
            }

            result[x - 1] = new SecretShare(x, Encode(y));
        }

        return result;
    }

    /// <summary>Rebuilds a secret of <paramref name="secretLength"/> bytes from at least threshold distinct shares (Lagrange at 0).</summary>
    public static byte[] Combine(IReadOnlyList<SecretShare> shares, int secretLength)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            throw new ArgumentException("at least one share is needed.", nameof(shares));
        }

        if (shares.Select(s => s.X).Distinct().Count() != shares.Count)
        {
            throw new ArgumentException("shares must have distinct x coordinates.", nameof(shares));
        }

        var secret = BigInteger.Zero;
        for (var i = 0; i < shares.Count; i++)
        {
            var xi = new BigInteger(shares[i].X);
            var numerator = BigInteger.One;
            var denominator = BigInteger.One;
            for (var j = 0; j < shares.Count; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var xj = new BigInteger(shares[j].X);
                numerator = numerator * xj % s_prime;
                denominator = denominator * Mod(xj - xi) % s_prime;
            }

            var lagrange = numerator * BigInteger.ModPow(denominator, s_prime - 2, s_prime) % s_prime;
            var yi = new BigInteger(shares[i].Value.AsSpan(), isUnsigned: true, isBigEndian: true);
            secret = (secret + (yi * lagrange)) % s_prime;
        }

        var bytes = new byte[secretLength];
        if (secret.GetByteCount(isUnsigned: true) > secretLength
            || !secret.TryWriteBytes(bytes.AsSpan(secretLength - secret.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true))
        {
            throw new CryptographicException($"the shares rebuild a value longer than {secretLength} bytes: a share is wrong or too few were given.");
        }

        return bytes;
    }

    private static BigInteger Mod(BigInteger value)
    {
        var r = BigInteger.Remainder(value, s_prime);
        return r.Sign < 0 ? r + s_prime : r;
    }

    private static byte[] Encode(BigInteger value)
    {
        var bytes = new byte[ShareValueLength];
        var count = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(bytes.AsSpan(ShareValueLength - count), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    private static BigInteger RandomFieldElement()
    {
        Span<byte> buffer = stackalloc byte[ShareValueLength];
        while (true)
        {
            RandomNumberGenerator.Fill(buffer);
            buffer[0] &= 0x01; // 521 bits: 1 bit in the top byte, then 65 full bytes.
            var candidate = new BigInteger(buffer, isUnsigned: true, isBigEndian: true);
            if (candidate < s_prime)
            {
                return candidate;
            }
        }
    }
}
