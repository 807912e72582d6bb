using System.Runtime.InteropServices;

namespace BarlowTwins.Data;

/// <summary>
/// Decodes baseline and progressive JPEGs with the system's libjpeg-turbo (TurboJPEG API,
/// Debian package libturbojpeg0), straight to RGB or grey bytes. It is the library PIL decodes
/// with, and faster here than SkiaSharp's bundled copy for the same pixels (docs/augment.md; the default accurate integer IDCT and fancy upsampling, as PIL and Skia
/// use; a test holds the two decoders to equal bytes). Anything it declines — no library, not a
/// JPEG, CMYK, a warning such as truncated data, too large — returns null and the caller decodes
/// with SkiaSharp, which also words the errors.
/// </summary>
internal static class TurboJpeg
{
    private const string Library = "libturbojpeg.so.0";
    private const int PixelFormatRgb = 0, PixelFormatGrey = 6;
    private const int ColourspaceGrey = 2, ColourspaceCmyk = 3, ColourspaceYcck = 4;
    private const int AccurateDct = 4096, StopOnWarning = 8192;

    /// <summary>True when libturbojpeg.so.0 loads here.</summary>
    public static bool Available { get; } = NativeLibrary.TryLoad(Library, out _);

    /// <summary>
    /// <paramref name="data"/> decoded into <paramref name="channels"/> (1 or 3) channels, grey
    /// repeated into 3 and colour turned into PIL's "L" luma for 1; null when TurboJPEG does not
    /// take this file (see the class summary).
    /// </summary>
    public static ImageSample? TryDecode(byte[] data, int channels, int label)
    {
        if (!Available || data.Length < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF) return null;
        var handle = InitDecompress();
        if (handle == IntPtr.Zero) return null;
        try
        {
            if (DecompressHeader(handle, data, (nuint)data.Length, out int width, out int height, out _, out int colourspace) != 0
                || colourspace is ColourspaceCmyk or ColourspaceYcck
                || width <= 0 || height <= 0 || (long)width * height > ImageDecoder.MaxPixels)
                return null;
            bool grey = colourspace == ColourspaceGrey;
            int decoded = grey && channels == 1 ? 1 : 3;
            var pixels = new byte[(long)width * height * decoded];
            int format = decoded == 1 ? PixelFormatGrey : PixelFormatRgb;
            if (Decompress(handle, data, (nuint)data.Length, pixels, width, 0, height, format, AccurateDct | StopOnWarning) != 0) return null;
            return new ImageSample(channels == decoded ? pixels : RgbToLuma(pixels), height, width, channels, label);
        }
        finally
        {
            Destroy(handle);
        }
    }

    private static byte[] RgbToLuma(byte[] rgb)
    {
        var luma = new byte[rgb.Length / 3];
        for (int source = 0, target = 0; target < luma.Length; source += 3, target++)
            luma[target] = Luma.Of(rgb[source], rgb[source + 1], rgb[source + 2]);
        return luma;
    }

    [DllImport(Library, EntryPoint = "tjInitDecompress")]
    private static extern IntPtr InitDecompress();

    [DllImport(Library, EntryPoint = "tjDecompressHeader3")]
    private static extern int DecompressHeader(IntPtr handle, byte[] jpeg, nuint size, out int width, out int height, out int subsampling, out int colourspace);

    [DllImport(Library, EntryPoint = "tjDecompress2")]
    private static extern int Decompress(IntPtr handle, byte[] jpeg, nuint size, byte[] destination, int width, int pitch, int height, int pixelFormat, int flags);

    [DllImport(Library, EntryPoint = "tjDestroy")]
    private static extern int Destroy(IntPtr handle);
}
