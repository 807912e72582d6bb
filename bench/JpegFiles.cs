using BarlowTwins.Data;
using System.Runtime.Intrinsics;
using SkiaSharp;

namespace BarlowTwins.Bench;

/// <summary>The real photos Debian ships (matplotlib, scikit-learn), decoded with SkiaSharp.</summary>
public static class JpegFiles
{
    /// <summary>grace_hopper.jpg (512×600), china.jpg and flower.jpg (640×427): the reference benchmark's defaults.</summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg",
        "/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg",
        "/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg",
    ];

    /// <summary>Throws a clear error naming the Debian packages when a photo is missing.</summary>
    public static void EnsureExist(IEnumerable<string> files)
    {
        var missing = files.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"benchmark photos not found: {string.Join(", ", missing)} (apt-get install python3-matplotlib python3-sklearn, or pass your own JPEGs)");
    }

    /// <summary>Decodes <paramref name="path"/> to 8-bit RGB (via BGRA, Skia's native order, the fastest it decodes to).</summary>
    public static unsafe ImageSample DecodeRgb(string path)
    {
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"{path}: not an image SkiaSharp can decode");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Bgra8888, SKAlphaType.Opaque);
        var bgra = new byte[info.BytesSize];
        fixed (byte* pointer = bgra)
        {
            var result = codec.GetPixels(info, (IntPtr)pointer);
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
                throw new InvalidDataException($"{path}: {result}");
        }
        var rgb = new byte[info.Width * info.Height * 3];
        BgraToRgb(bgra, rgb);
        return new ImageSample(rgb, info.Height, info.Width, 3, ImageSample.Unlabelled);
    }

    /// <summary>Drops alpha and swaps B and R, four pixels (16 → 12 bytes) per shuffle.</summary>
    private static void BgraToRgb(ReadOnlySpan<byte> bgra, Span<byte> rgb)
    {
        var order = Vector128.Create((byte)2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 15, 15, 15, 15);
        int pixels = bgra.Length / 4, p = 0;
        for (; p + 6 <= pixels; p += 4) // the 16-byte store runs 4 bytes past its 12: stop while the next 2 pixels remain
            Vector128.Shuffle(Vector128.Create(bgra.Slice(4 * p, 16)), order).CopyTo(rgb.Slice(3 * p, 16));
        for (; p < pixels; p++)
        {
            rgb[3 * p] = bgra[4 * p + 2];
            rgb[3 * p + 1] = bgra[4 * p + 1];
            rgb[3 * p + 2] = bgra[4 * p];
        }
    }
}
