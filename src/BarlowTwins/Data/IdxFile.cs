using System.Buffers.Binary;
using System.IO.Compression;

namespace BarlowTwins.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST: a big-endian magic (0, 0, type, rank), one
/// big-endian int32 per dimension, then the values. Only unsigned bytes (type 0x08) occur in
/// those datasets, and only they are read. Gzipped files are recognised by content, not by name.
/// </summary>
internal static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>An IDX array: its dimensions and its bytes.</summary>
    public sealed record Array(int[] Shape, byte[] Data);

    /// <summary>Reads <paramref name="path"/> and checks that it has <paramref name="rank"/> dimensions.</summary>
    public static Array Read(string path, int rank)
    {
        using var stream = Open(path);
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0 || header[2] != UnsignedByte || header[3] != rank)
            throw new InvalidDataException(
                $"{path}: IDX magic {Convert.ToHexString(header)} is not 000008{rank:X2} (unsigned bytes, {rank} dimensions); is this the right file?");
        var shape = new int[rank];
        Span<byte> dimension = stackalloc byte[4];
        for (int i = 0; i < rank; i++)
        {
            stream.ReadExactly(dimension);
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dimension);
        }
        long length = shape.Aggregate(1L, (product, size) => product * size);
        if (shape.Any(size => size < 0) || length > System.Array.MaxLength)
            throw new InvalidDataException($"{path}: implausible IDX shape [{string.Join(", ", shape)}].");
        var data = new byte[length];
        try
        {
            stream.ReadExactly(data);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated: its header promises [{string.Join(", ", shape)}] = {length} bytes.");
        }
        return new Array(shape, data);
    }

    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        bool gzipped = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        return gzipped ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
    }
}
