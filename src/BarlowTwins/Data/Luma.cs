namespace BarlowTwins.Data;

/// <summary>Grey level of an RGB pixel, exactly as PIL's "L" conversion (ITU-R 601-2 weights in 16-bit fixed point).</summary>
internal static class Luma
{
    /// <summary>(19595 R + 38470 G + 7471 B + 2¹⁵) >> 16; the weights sum to 2¹⁶, so a grey pixel keeps its value.</summary>
    public static byte Of(byte red, byte green, byte blue) =>
        (byte)((19595 * red + 38470 * green + 7471 * blue + 0x8000) >> 16);
}
