using System.Buffers.Binary;
using System.Numerics;
using BarlowTwins.Interop;

namespace BarlowTwins.Training.Output;

/// <summary>
/// A TensorBoard event file written without TensorFlow: each record is
/// <c>length (u64) · masked CRC32C(length) · Event protobuf · masked CRC32C(Event)</c>, and each
/// Event holds a wall time, a step and a Summary of scalar values. Only the handful of protobuf
/// fields needed for scalars are encoded, by hand.
/// </summary>
public sealed class TensorBoardEvents : IDisposable
{
    private readonly FileStream _file;

    /// <summary>Path of the event file.</summary>
    public string Path { get; }

    /// <summary>Starts a new event file in <paramref name="directory"/> (TensorBoard reads every file there).</summary>
    public TensorBoardEvents(string directory)
    {
        Directory.CreateDirectory(directory);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Path = System.IO.Path.Combine(directory, $"events.out.tfevents.{now}.{Environment.MachineName}.{Environment.ProcessId}");
        _file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var header = new ProtoWriter();
        header.Double(1, WallTime());
        header.String(3, "brain.Event:2");
        WriteRecord(header.ToArray());
    }

    /// <summary>Appends scalars <paramref name="values"/> (tag → value) at <paramref name="step"/>.</summary>
    public void Scalars(long step, IEnumerable<(string Tag, double Value)> values)
    {
        var ev = new ProtoWriter();
        ev.Double(1, WallTime());
        ev.Varint(2, step);
        ev.Message(5, summary =>
        {
            foreach (var (tag, value) in values)
                summary.Message(1, entry =>
                {
                    entry.String(1, tag);
                    entry.Float(2, (float)value);
                });
        });
        WriteRecord(ev.ToArray());
    }

    private static double WallTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private void WriteRecord(byte[] data)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)data.Length);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C(length));
        _file.Write(length);
        _file.Write(crc);
        _file.Write(data);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C(data));
        _file.Write(crc);
        _file.Flush();
    }

    /// <summary>CRC-32C (Castagnoli) of <paramref name="data"/>.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>The CRC TensorBoard stores: rotated right by 15 bits plus a constant.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
