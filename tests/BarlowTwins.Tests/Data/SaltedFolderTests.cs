using BarlowTwins.Data;
using Xunit.Abstractions;

namespace BarlowTwins.Tests.Data;

/// <summary>The closing demonstration: real photos salted with broken files, read for a whole epoch.</summary>
public sealed class SaltedFolderTests(ITestOutputHelper output)
{
    /// <summary>Each image's size and mean: any transform that needs every pixel decoded.</summary>
    private sealed class Summaries : Augment.IBatchTransform<(int Label, int Height, int Width, double Mean)[]>
    {
        public (int, int, int, double)[] Apply(IReadOnlyList<ImageSample> images, long seed) =>
            [.. images.Select(image => (image.Label, image.Height, image.Width, image.Pixels.Average(p => (double)p)))];
    }

    [Fact]
    public void AnEpochOverASaltedFolderFinishesAndReportsTheBrokenFiles()
    {
        using var temp = new TempFolder();
        var broken = SamplePhotos.WriteSaltedFolder(temp);
        var report = new DataReport();
        var source = DataSpec.Parse($"folder:{temp.Path}").Open(DataSplit.All, report);
        var loader = new BatchLoader<(int Label, int Height, int Width, double Mean)[]>(
            source, new Summaries(), new LoaderOptions(BatchSize: 4, Seed: 1, DropLast: false, Workers: 2));

        var seen = loader.Epoch(0).SelectMany(batch => batch).ToList();

        output.WriteLine(source.Description);
        output.WriteLine(report.Format());
        Assert.Equal(6, seen.Count);
        Assert.Equal([0, 0, 1, 1, 2, 2], seen.Select(image => image.Label).Order());
        Assert.All(seen, image => Assert.InRange(image.Mean, 20, 235)); // real photos, not blanks
        Assert.Equal(broken.Count, report.SkippedCount);
    }
}
