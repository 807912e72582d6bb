using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace BarlowTwins.Tests.Data;

/// <summary>
/// Writes minimal PNG files by hand, so tests control exactly what a decoder meets: grey, RGB or
/// RGBA at 8 or 16 bits per sample.
/// </summary>
public static class PngWriter
{
    /// <summary>PNG colour types used by the tests.</summary>
    public enum ColourType : byte
    {
        /// <summary>One grey sample per pixel.</summary>
        Grey = 0,

        /// <summary>Red, green, blue.</summary>
        Rgb = 2,

        /// <summary>Red, green, blue, alpha.</summary>
        Rgba = 6,
    }

    /// <summary>
    /// Writes <paramref name="samples"/> (row-major, channels interleaved; for 16 bits, two
    /// big-endian bytes per sample) as a PNG.
    /// </summary>
    public static void Write(string path, int width, int height, ColourType colour, int bitDepth, byte[] samples)
    {
        int channels = colour switch { ColourType.Grey => 1, ColourType.Rgb => 3, _ => 4 };
        int rowBytes = width * channels * bitDepth / 8;
        Assert.Equal(rowBytes * height, samples.Length);
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colour;
        Chunk(file, "IHDR", header);
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            for (int row = 0; row < height; row++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(samples, row * rowBytes, rowBytes);
            }
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        file.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        file.Write(number);
    }

    /// <summary>The CRC-32 PNG puts after every chunk (over its type and data).</summary>
    public static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
