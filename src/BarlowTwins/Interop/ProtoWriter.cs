using System.Buffers.Binary;
using System.Text;

namespace BarlowTwins.Interop;

/// <summary>
/// The protocol-buffers wire format, just what ONNX models and TensorBoard events need: varints
/// (wire type 0), 64-bit doubles (type 1), 32-bit floats (type 5) and length-delimited bytes,
/// strings and nested messages (type 2).
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream buffer = new();

    public void Varint(int field, long value)
    {
        Tag(field, 0);
        WriteVarint((ulong)value); // negative numbers take ten bytes, as protobuf's int64 does
    }

    public void Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
    }

    public void Double(int field, double value)
    {
        Tag(field, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        buffer.Write(bytes);
    }

    public void Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, 2);
        WriteVarint((ulong)bytes.Length);
        buffer.Write(bytes);
    }

    public void String(int field, string text) => Bytes(field, Encoding.UTF8.GetBytes(text));

    public void Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        Bytes(field, inner.buffer.GetBuffer().AsSpan(0, (int)inner.buffer.Length));
    }

    public void WriteTo(Stream stream) => stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);

    public byte[] ToArray() => buffer.ToArray();

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}
