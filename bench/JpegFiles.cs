using BarlowTwins.Data;
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
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = bgra[j + 2];
            rgb[i + 1] = bgra[j + 1];
            rgb[i + 2] = bgra[j];
        }
        return new ImageSample(rgb, info.Height, info.Width, 3, ImageSample.Unlabelled);
    }
}
