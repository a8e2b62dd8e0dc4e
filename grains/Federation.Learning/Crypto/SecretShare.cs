using System.Collections.Immutable;

namespace Federation.Learning.Crypto;

/// <summary>One Shamir share: the point x (1..n) and the polynomial's value there, big-endian.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.SecretShare")]
public sealed record SecretShare
{
    /// <summary>Creates a share.</summary>
    public SecretShare(int x, ImmutableArray<byte> value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(x, 1);
        if (value.IsDefault || value.Length != ShamirSecretSharing.ShareValueLength)
        {
            throw new ArgumentException($"Value must be {ShamirSecretSharing.ShareValueLength} bytes.", nameof(value));
        }

        X = x;
        Value = value;
    }

    internal SecretShare(int x, byte[] value)
        : this(x, ImmutableArray.Create(value))
    {
    }

    /// <summary>The evaluation point, never 0.</summary>
    [Id(0)]
    public int X { get; }

    /// <summary>The polynomial's value at X.</summary>
    [Id(1)]
    public ImmutableArray<byte> Value { get; }
}
