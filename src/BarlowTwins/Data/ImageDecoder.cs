using SkiaSharp;

namespace BarlowTwins.Data;

/// <summary>
/// Decodes image files (JPEG, PNG, BMP, WebP, GIF's first frame, …) with SkiaSharp into 8-bit
/// pixels of 1 or 3 channels, whatever the file holds: grey is repeated into 3 channels, 16-bit is
/// reduced to 8, CMYK JPEGs come out as RGB, and transparency is composited on black (the decoder
/// premultiplies by alpha, then alpha is dropped) so transparent pixels never show colours the
/// author hid. One channel is the ITU-R 601-2 luma of PIL's "L" mode (grey inputs come back unchanged).
/// Embedded colour profiles and EXIF orientation are not applied, as in PIL and torchvision.
/// </summary>
public static class ImageDecoder
{
    /// <summary>
    /// Largest image read, in pixels (100 megapixels, 400 MB decoded): bigger files are reported
    /// and skipped, since one decompression bomb would otherwise end the run out of memory.
    /// </summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>Reads only the header; returns why the file is not a usable image, or null when it looks fine.</summary>
    public static string? Probe(string path)
    {
        try
        {
            var problem = OpenCodec(path, out var codec);
            codec?.Dispose();
            return problem;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return error.Message;
        }
    }

    /// <summary>Decodes the whole file into <paramref name="channels"/> (1 or 3) channels.</summary>
    /// <exception cref="InvalidDataException">The file is not a decodable image; the message says why.</exception>
    public static ImageSample Decode(string path, int channels = 3, int label = ImageSample.Unlabelled) =>
        TryDecode(path, channels, label, out var problem) ?? throw new InvalidDataException($"{path}: {problem}");

    /// <summary>
    /// Decodes the whole file; returns null and says why when it cannot. JPEGs go through the
    /// system's libjpeg-turbo when it is installed (<see cref="TurboJpeg"/>: same pixels, faster),
    /// everything else and everything it declines through SkiaSharp.
    /// </summary>
    public static ImageSample? TryDecode(string path, int channels, int label, out string problem)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images decode to 1 or 3 channels.");
        if (TurboJpeg.Available && TryReadFile(path) is { } data && TurboJpeg.TryDecode(data, channels, label) is { } sample)
        {
            problem = "";
            return sample;
        }
        return TryDecodeWithSkia(path, channels, label, out problem);
    }

    /// <summary>The SkiaSharp decode of any format (the fallback of <see cref="TryDecode"/>; tests compare the two).</summary>
    internal static ImageSample? TryDecodeWithSkia(string path, int channels, int label, out string problem)
    {
        try
        {
            problem = OpenCodec(path, out var opened) ?? "";
            if (opened is null) return null;
            using var codec = opened;
            var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            var rgba = new byte[info.BytesSize];
            var result = codec.GetPixels(info, rgba);
            if (result != SKCodecResult.Success)
            {
                problem = Describe(result, path);
                return null;
            }
            var pixels = channels == 1 ? RgbaToLuma(rgba) : RgbaToRgb(rgba);
            return new ImageSample(pixels, info.Height, info.Width, channels, label);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            problem = error.Message;
            return null;
        }
    }

    /// <summary>The file's bytes, or null when it is empty, not a regular file, or unreadable (SkiaSharp's path then says why).</summary>
    private static byte[]? TryReadFile(string path)
    {
        try
        {
            return IsEmpty(path) ? null : File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The file's codec once the header passed every check (null and the reason otherwise).</summary>
    private static string? OpenCodec(string path, out SKCodec? codec)
    {
        codec = null;
        if (IsEmpty(path)) return EmptyFile;
        var opened = SKCodec.Create(path, out var result);
        if (opened is null) return Describe(result, path);
        var problem = SizeProblem(opened.Info);
        if (problem is null) codec = opened;
        else opened.Dispose();
        return problem;
    }

    private static string? SizeProblem(SKImageInfo info) =>
        info.Width <= 0 || info.Height <= 0 ? $"image has no pixels ({info.Width}×{info.Height})"
        : (long)info.Width * info.Height > MaxPixels ? $"image too large ({info.Width}×{info.Height} > {MaxPixels / 1_000_000} megapixels)"
        : null;

    private const string EmptyFile = "empty file (or not a regular file)";

    /// <summary>
    /// Zero bytes: an empty file, or a pipe, socket or device (all report length 0), which must not
    /// be opened, since reading a pipe with no writer waits forever.
    /// </summary>
    private static bool IsEmpty(string path) => new FileInfo(path) is { Exists: true, Length: 0 };

    private static string Describe(SKCodecResult result, string path) => result switch
    {
        SKCodecResult.IncompleteInput => "truncated image",
        SKCodecResult.ErrorInInput => "corrupt image data",
        _ => WhyUnopenable(path) ?? "not an image SkiaSharp can decode",
    };

    /// <summary>The system's reason when the file cannot even be opened (a dangling or looping link, no permission).</summary>
    private static string? WhyUnopenable(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return $"cannot be opened ({error.Message})";
        }
    }

    private static byte[] RgbaToRgb(byte[] rgba)
    {
        var rgb = new byte[rgba.Length / 4 * 3];
        for (int source = 0, target = 0; source < rgba.Length; source += 4, target += 3)
        {
            rgb[target] = rgba[source];
            rgb[target + 1] = rgba[source + 1];
            rgb[target + 2] = rgba[source + 2];
        }
        return rgb;
    }

    private static byte[] RgbaToLuma(byte[] rgba)
    {
        var luma = new byte[rgba.Length / 4];
        for (int source = 0, target = 0; source < rgba.Length; source += 4, target++)
            luma[target] = Luma.Of(rgba[source], rgba[source + 1], rgba[source + 2]);
        return luma;
    }
}
