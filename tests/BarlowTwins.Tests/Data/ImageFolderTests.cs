using BarlowTwins.Data;
using SkiaSharp;
using static BarlowTwins.Tests.Data.PngWriter;

namespace BarlowTwins.Tests.Data;

public sealed class ImageFolderTests
{
    private static IImageSource Open(TempFolder temp, string options = "", DataReport? report = null) =>
        DataSpec.Parse($"folder:{temp.Path}{options}").Open(DataSplit.All, report);

    private static ImageSample Find(IImageSource source, int width) =>
        Enumerable.Range(0, source.Count).Select(source.Get).Single(sample => sample.Width == width);

    [Fact]
    public void GreyRgbaAndSixteenBitPngsBecomeConsistentEightBitPixels()
    {
        using var temp = new TempFolder();
        // Widths tell the images apart after sorting.
        Write(temp.File("a/rgb.png"), 1, 1, ColourType.Rgb, 8, [200, 100, 50]);
        Write(temp.File("a/grey.png"), 2, 1, ColourType.Grey, 8, [77, 78]);
        Write(temp.File("b/rgba.png"), 3, 1, ColourType.Rgba, 8, [200, 100, 50, 255, 200, 100, 50, 0, 200, 100, 50, 128]);
        Write(temp.File("b/grey16.png"), 4, 1, ColourType.Grey, 16, [0xAB, 0xCD, 0, 0, 0xFF, 0xFF, 0x80, 0x00]);
        Write(temp.File("b/rgb16.png"), 5, 1, ColourType.Rgb, 16, [.. Enumerable.Repeat(new byte[] { 0x12, 0xFF, 0x80, 0x00, 0xFE, 0x01 }, 5).SelectMany(p => p)]);

        var rgb = Open(temp);
        Assert.Equal((5, 3), (rgb.Count, rgb.Channels));
        Assert.Equal(new byte[] { 200, 100, 50 }, Find(rgb, 1).Pixels);
        Assert.Equal(new byte[] { 77, 77, 77, 78, 78, 78 }, Find(rgb, 2).Pixels);
        // Transparency is composited on black: alpha 0 gives black, alpha 128 about half.
        AssertNear([200, 100, 50, 0, 0, 0, 100, 50, 25], Find(rgb, 3).Pixels, tolerance: 1);
        // 16 bits keep their high byte (within rounding).
        AssertNear([0xAB, 0xAB, 0xAB, 0, 0, 0, 255, 255, 255, 0x80, 0x80, 0x80], Find(rgb, 4).Pixels, tolerance: 1);
        AssertNear([.. Enumerable.Repeat(new byte[] { 0x13, 0x80, 0xFE }, 5).SelectMany(p => p)], Find(rgb, 5).Pixels, tolerance: 1);
        Assert.Equal(["a", "b"], rgb.Classes);
        Assert.Equal(1, Find(rgb, 4).Label);

        var grey = Open(temp, "?channels=1");
        Assert.Equal(1, grey.Channels);
        Assert.Equal(new byte[] { 77, 78 }, Find(grey, 2).Pixels); // grey stays exact
        Assert.Equal(new byte[] { 124 }, Find(grey, 1).Pixels);   // PIL's luma of (200, 100, 50) = 124.2
    }

    [Fact]
    public void JpegWebpBmpAndGifDecode()
    {
        using var temp = new TempFolder();
        using (var bitmap = SKBitmap.Decode(SamplePhotos.Paths[0]))
        {
            File.WriteAllBytes(temp.File("x/photo.webp"), bitmap.Encode(SKEncodedImageFormat.Webp, 90).ToArray());
        }
        File.Copy(SamplePhotos.Paths[1], temp.File("x/china.jpg"));
        // A 1×1 white GIF and a 1×1 24-bit BMP holding blue, written byte by byte.
        File.WriteAllBytes(temp.File("x/dot.gif"), Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs="));
        File.WriteAllBytes(temp.File("x/dot.bmp"),
        [
            (byte)'B', (byte)'M', 58, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0,
            40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0, 0, 0, 0, 0, 4, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            255, 0, 0, 0,
        ]);

        var report = new DataReport();
        var source = Open(temp, "?check=full", report);

        Assert.Equal("", report.Format());
        var samples = Enumerable.Range(0, source.Count).Select(source.Get).ToList();
        Assert.Equal([(1, 1), (1, 1), (427, 640), (600, 512)], samples.Select(s => (s.Height, s.Width)).Order());
        Assert.Contains(samples, s => s.Pixels.SequenceEqual(new byte[] { 0, 0, 255 })); // BMP stores blue, green, red
        Assert.Contains(samples, s => s.Pixels.SequenceEqual(new byte[] { 255, 255, 255 }));
    }

    [Fact]
    public void CmykJpegBecomesRgb()
    {
        using var temp = new TempFolder();
        // Adobe stores CMYK inverted: 255 means no ink. No cyan, full magenta, no yellow, no black.
        CmykJpegWriter.Write(temp.File("a/magenta.jpg"), c: 255, m: 0, y: 255, k: 255);
        CmykJpegWriter.Write(temp.File("a/white.jpg"), c: 255, m: 255, y: 255, k: 255);
        var source = Open(temp, "?check=full");
        var pixels = Enumerable.Range(0, source.Count).Select(i => source.Get(i).Pixels).ToList();
        Assert.All(pixels, p => Assert.Equal(8 * 8 * 3, p.Length));
        AssertNear([.. Enumerable.Repeat(new byte[] { 255, 0, 255 }, 64).SelectMany(p => p)], pixels[0], tolerance: 1);
        AssertNear([.. Enumerable.Repeat((byte)255, 192)], pixels[1], tolerance: 1);
    }

    [Fact]
    public void BrokenFilesAreSkippedAndReportedOnce()
    {
        using var temp = new TempFolder();
        var broken = SamplePhotos.WriteSaltedFolder(temp);
        var report = new DataReport();

        var source = Open(temp, "", report);

        Assert.Equal(6, source.Count);
        Assert.Equal(broken.Order(StringComparer.Ordinal), report.Skipped.Select(s => s.Path).Order(StringComparer.Ordinal));
        Assert.Contains("empty file", report.Skipped.Single(s => s.Path == broken[0]).Reason);
        Assert.Contains("outside any class folder", report.Skipped.Single(s => s.Path == broken[3]).Reason);
        Assert.StartsWith("skipped 7 unreadable", report.Format());
        Open(temp, "", report);
        Assert.Equal(7, report.SkippedCount); // reported once, however often met
        Assert.Equal("", report.Format(from: 7));
        Assert.StartsWith("skipped 2 unreadable", report.Format(from: 5));
    }

    [Fact]
    public void TruncatedPixelDataIsCaughtByFullCheckOrReplacedWhenRead()
    {
        using var temp = new TempFolder();
        File.Copy(SamplePhotos.Paths[0], temp.File("a/0.jpg"));
        var photo = File.ReadAllBytes(SamplePhotos.Paths[1]);
        var truncated = temp.File("b/1.jpg");
        File.WriteAllBytes(truncated, photo[..(photo.Length / 2)]);
        File.Copy(SamplePhotos.Paths[2], temp.File("c/2.jpg"));

        var fullReport = new DataReport();
        Assert.Equal(2, Open(temp, "?check=full", fullReport).Count);
        Assert.Equal("truncated image", fullReport.Skipped.Single().Reason);

        var headerReport = new DataReport();
        var lazy = Open(temp, "", headerReport);
        Assert.Equal((3, 0), (lazy.Count, headerReport.SkippedCount)); // the header looks fine
        var replaced = lazy.Get(1);
        Assert.Equal((2, 427, 640), (replaced.Label, replaced.Height, replaced.Width)); // the next image, flower.jpg
        Assert.Equal(truncated, headerReport.Skipped.Single().Path);
        Assert.Equal(replaced.Pixels, lazy.Get(1).Pixels);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void UnreadableFolderIsReportedAndTheRestRead()
    {
        using var temp = new TempFolder();
        File.Copy(SamplePhotos.Paths[0], temp.File("a/0.jpg"));
        File.Copy(SamplePhotos.Paths[1], temp.File("a/locked/1.jpg"));
        File.Copy(SamplePhotos.Paths[2], temp.File("b/2.jpg"));
        var locked = Path.Combine(temp.Path, "a", "locked");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        try
        {
            var report = new DataReport();
            // The folder is listed on the opening thread, which here obeys permissions even as root.
            var source = WithoutRootAccess.Run(() => Open(temp, "", report));
            Assert.Equal(2, source.Count);
            var skipped = Assert.Single(report.Skipped);
            Assert.Equal(locked, skipped.Path);
            Assert.Contains("folder cannot be read", skipped.Reason);
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void WithoutSplitFoldersTestIsAFixedShareAndWithThemTheFolders()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 200; i++) Write(temp.File($"c{i % 2}/{i}.png"), 1, 1, ColourType.Grey, 8, [(byte)i]);
        var spec = DataSpec.Parse($"folder:{temp.Path}?channels=1&test=0.25");
        int train = spec.Open(DataSplit.Train).Count, test = spec.Open(DataSplit.Test).Count;
        Assert.Equal(200, train + test);
        Assert.InRange(test, 30, 70); // 50 expected; a hash split is binomial, σ ≈ 6

        using var split = new TempFolder();
        Write(split.File("train/cat/1.png"), 1, 1, ColourType.Grey, 8, [1]);
        Write(split.File("train/dog/2.png"), 1, 1, ColourType.Grey, 8, [2]);
        Write(split.File("test/dog/3.png"), 1, 1, ColourType.Grey, 8, [3]);
        var testSplit = DataSpec.Parse($"folder:{split.Path}").Open(DataSplit.Test);
        Assert.Equal((1, 1), (testSplit.Count, testSplit.Get(0).Label)); // labels agree with train's
        Assert.Equal(["cat", "dog"], testSplit.Classes);
    }

    [Fact]
    public void DecompressionBombIsSkippedByItsHeader()
    {
        using var temp = new TempFolder();
        File.Copy(SamplePhotos.Paths[0], temp.File("a/fine.jpg"));
        // A PNG header claiming 20000 × 20000 pixels (1.6 GB decoded); the data never needs reading.
        Write(temp.File("a/bomb.png"), 1, 1, ColourType.Grey, 8, [0]);
        var bytes = File.ReadAllBytes(temp.File("a/bomb.png"));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 20000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 20000);
        var crc = PngWriter.Crc32(bytes[12..29]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), crc);
        File.WriteAllBytes(temp.File("a/bomb.png"), bytes);

        var report = new DataReport();
        Assert.Equal(1, Open(temp, "", report).Count);
        Assert.Contains("too large (20000×20000", report.Skipped.Single().Reason);
    }

    [Fact]
    public void NoReadableImageIsOneClearError()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("a/x.png"), "text");
        var error = Assert.Throws<InvalidDataException>(() => Open(temp));
        Assert.Contains("no readable image among 1 file", error.Message);
        Assert.Contains("x.png", error.Message);
    }

    private static void AssertNear(byte[] expected, byte[] actual, int tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"byte {i}: {actual[i]}, expected {expected[i]} ± {tolerance}");
    }
}
