using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Federation.Learning.Crypto;

/// <summary>
/// An unambiguous byte encoding of the fields a signature, a key derivation or an AEAD binds:
/// each field length-prefixed, integers big-endian, so no two field lists encode alike.
/// </summary>
internal sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public CanonicalWriter(string domain) => Text(domain);

    public CanonicalWriter Text(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public CanonicalWriter Int(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public CanonicalWriter Bytes(ReadOnlySpan<byte> value)
    {
        Int(value.Length);
        _buffer.Write(value);
        return this;
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
