using System.Globalization;
using System.Text;

namespace Federation.Silo.Postgres;

/// <summary>
/// A grain id as the ADO.NET grain storage keys its row (Orleans' internal <c>AdoGrainKey</c>):
/// a GUID key as two longs, an integer key in <see cref="N1"/>, a string key whole in
/// <see cref="Extension"/>; and the bytes its id hash is computed from.
/// </summary>
internal readonly record struct StorageKey(long N0, long N1, string? Extension, KeyKind Kind)
{
    /// <summary>The key of <paramref name="grainId"/>, tried as the provider tries it: GUID, integer, else string.</summary>
    public static StorageKey Of(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            var bytes = guid.ToByteArray();
            return new StorageKey(BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), guidExtension, KeyKind.Guid);
        }

        if (grainId.TryGetIntegerKey(out var integer, out var integerExtension))
        {
            return new StorageKey(0, integer, integerExtension, KeyKind.Integer);
        }

        return new StorageKey(0, 0, grainId.Key.ToString(), KeyKind.String);
    }

    /// <summary>The bytes hashed into <c>GrainIdHash</c>, as the provider builds them.</summary>
    public byte[] HashBytes()
    {
        byte[]? bytes = Kind switch
        {
            KeyKind.Integer => BitConverter.GetBytes(N1),
            KeyKind.Guid => ToGuid(N0, N1).ToByteArray(),
            _ => null,
        };
        if (bytes is not null && Extension is not null)
        {
            bytes = [.. bytes, .. Encoding.UTF8.GetBytes(Extension)];
        }

        bytes ??= Encoding.UTF8.GetBytes(Extension!);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return bytes;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        KeyKind.Integer => N1.ToString(CultureInfo.InvariantCulture) + (Extension is null ? "" : "#" + Extension),
        KeyKind.Guid => ToGuid(N0, N1).ToString() + (Extension is null ? "" : "#" + Extension),
        _ => Extension ?? "",
    };

    private static Guid ToGuid(long n0, long n1) =>
        new((uint)(n0 & 0xffffffff), (ushort)(n0 >> 32), (ushort)(n0 >> 48), (byte)n1, (byte)(n1 >> 8), (byte)(n1 >> 16), (byte)(n1 >> 24), (byte)(n1 >> 32), (byte)(n1 >> 40), (byte)(n1 >> 48), (byte)(n1 >> 56));
}
