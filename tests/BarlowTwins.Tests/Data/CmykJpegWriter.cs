namespace BarlowTwins.Tests.Data;

/// <summary>
/// Writes an 8×8 baseline JPEG of one flat CMYK colour, byte by byte, with Adobe's APP14 marker
/// (as Photoshop writes them: inverted CMYK, no colour transform). A flat block needs only its DC
/// coefficient, 8·(value − 128), so the whole entropy-coded scan is four DC codes and four
/// end-of-block codes.
/// </summary>
public static class CmykJpegWriter
{
    /// <summary>Writes the four stored (inverted) component values c, m, y, k.</summary>
    public static void Write(string path, byte c, byte m, byte y, byte k)
    {
        var jpeg = new List<byte> { 0xFF, 0xD8 };
        Segment(jpeg, 0xEE, [(byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0, 100, 0, 0, 0, 0, 0]);
        Segment(jpeg, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);                       // quantisation: all 1
        Segment(jpeg, 0xC0, [8, 0, 8, 0, 8, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]); // 8×8, 4 components
        // DC table: categories 0–11, each coded in 4 bits (0000 … 1011). AC table: end of block only, code "0".
        Segment(jpeg, 0xC4, [0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .. Enumerable.Range(0, 12).Select(i => (byte)i)]);
        Segment(jpeg, 0xC4, [0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);
        Segment(jpeg, 0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);
        var bits = new List<bool>();
        foreach (byte value in new[] { c, m, y, k })
        {
            int dc = 8 * (value - 128);
            int category = dc == 0 ? 0 : (int)Math.Log2(Math.Abs(dc)) + 1;
            Append(bits, category, 4);
            Append(bits, dc >= 0 ? dc : dc + (1 << category) - 1, category); // negative: one's complement
            Append(bits, 0, 1);                                                // end of block
        }
        while (bits.Count % 8 != 0) bits.Add(true);
        for (int i = 0; i < bits.Count; i += 8)
        {
            byte b = (byte)Enumerable.Range(0, 8).Sum(j => bits[i + j] ? 1 << (7 - j) : 0);
            jpeg.Add(b);
            if (b == 0xFF) jpeg.Add(0); // byte stuffing
        }
        jpeg.AddRange([0xFF, 0xD9]);
        File.WriteAllBytes(path, [.. jpeg]);
    }

    private static void Segment(List<byte> jpeg, byte marker, byte[] payload)
    {
        int length = payload.Length + 2;
        jpeg.AddRange([0xFF, marker, (byte)(length >> 8), (byte)length]);
        jpeg.AddRange(payload);
    }

    private static void Append(List<bool> bits, int value, int count)
    {
        for (int bit = count - 1; bit >= 0; bit--) bits.Add(((value >> bit) & 1) != 0);
    }
}
