using BarlowTwins.Data;
using SkiaSharp;
using Xunit;

namespace BarlowTwins.Tests.Data;

/// <summary>
/// The libjpeg-turbo decode (<see cref="TurboJpeg"/>) must give exactly SkiaSharp's pixels, so
/// which decoder runs never changes a view; and it must decline what it cannot decode the same way.
/// </summary>
public class TurboJpegTests
{
    [Fact]
    public void LibraryIsInstalled() =>
        Assert.True(TurboJpeg.Available, "libturbojpeg.so.0 not found: apt-get install libturbojpeg0 (the fast JPEG decode; CI installs it)");

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void PhotosDecodeToSkiasExactBytes(int channels)
    {
        foreach (var path in SamplePhotos.Paths)
            AssertSameAsSkia(path, channels);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void GreyJpegDecodesToSkiasExactBytes(int channels)
    {
        using var temp = new TempFolder();
        var path = temp.File("grey.jpg");
        using (var bitmap = new SKBitmap(new SKImageInfo(37, 23, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            for (int y = 0; y < 23; y++)
                for (int x = 0; x < 37; x++)
                    bitmap.SetPixel(x, y, new SKColor((byte)(7 * x + 11 * y), (byte)(7 * x + 11 * y), (byte)(7 * x + 11 * y)));
            File.WriteAllBytes(path, bitmap.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray());
        }
        AssertSameAsSkia(path, channels);
    }

    [Fact]
    public void CmykTruncatedAndNonJpegAreLeftToSkia()
    {
        using var temp = new TempFolder();
        CmykJpegWriter.Write(temp.File("cmyk.jpg"), c: 255, m: 0, y: 255, k: 255);
        var photo = File.ReadAllBytes(SamplePhotos.Paths[1]);
        Assert.Null(TurboJpeg.TryDecode(File.ReadAllBytes(temp.File("cmyk.jpg")), 3, 0));
        Assert.Null(TurboJpeg.TryDecode(photo[..(photo.Length / 2)], 3, 0)); // a warning (premature end) counts as declined
        Assert.Null(TurboJpeg.TryDecode("not a picture"u8.ToArray(), 3, 0));
        Assert.NotNull(TurboJpeg.TryDecode(photo, 3, 0));
    }

    private static void AssertSameAsSkia(string path, int channels)
    {
        var turbo = TurboJpeg.TryDecode(File.ReadAllBytes(path), channels, label: 4);
        var skia = ImageDecoder.TryDecodeWithSkia(path, channels, label: 4, out var problem);
        Assert.NotNull(turbo);
        Assert.NotNull(skia);
        Assert.Equal((skia.Height, skia.Width, skia.Channels, skia.Label), (turbo.Height, turbo.Width, turbo.Channels, turbo.Label));
        Assert.True(skia.Pixels.AsSpan().SequenceEqual(turbo.Pixels), $"{Path.GetFileName(path)}, {channels} channel(s): pixels differ");
    }
}
