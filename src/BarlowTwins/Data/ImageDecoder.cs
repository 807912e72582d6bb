using SkiaSharp;

namespace BarlowTwins.Data;

/// <summary>
/// Decodes image files (JPEG, PNG, BMP, WebP, GIF's first frame, …) with SkiaSharp into 8-bit
/// pixels of 1 or 3 channels, whatever the file holds: grey is repeated into 3 channels, 16-bit is
/// reduced to 8, CMYK JPEGs come out as RGB, and transparency is composited on black (the decoder
/// premultiplies by alpha, then alpha is dropped) so transparent pixels never show colours the
/// author hid. One channel is <see cref="Luma"/>, as PIL (grey inputs come back unchanged).
/// Embedded colour profiles and EXIF orientation are not applied, as in PIL and torchvision.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>Reads only the header; returns why the file is not a usable image, or null when it looks fine.</summary>
    public static string? Probe(string path)
    {
        try
        {
            using var codec = SKCodec.Create(path, out var result);
            if (codec is null) return Describe(result, path);
            var info = codec.Info;
            return info.Width > 0 && info.Height > 0 ? null : $"image has no pixels ({info.Width}×{info.Height})";
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return error.Message;
        }
    }

    /// <summary>Decodes the whole file; returns null and says why when it cannot.</summary>
    public static ImageSample? TryDecode(string path, int channels, int label, out string problem)
    {
        problem = "";
        try
        {
            using var codec = SKCodec.Create(path, out var created);
            if (codec is null)
            {
                problem = Describe(created, path);
                return null;
            }
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

    private static string Describe(SKCodecResult result, string path) => result switch
    {
        SKCodecResult.IncompleteInput => "truncated image",
        SKCodecResult.ErrorInInput => "corrupt image data",
        _ when new FileInfo(path).Length == 0 => "empty file",
        _ => "not an image SkiaSharp can decode",
    };

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
