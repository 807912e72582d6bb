using BarlowTwins.Evaluation;
using BarlowTwins.Tests.Support;
using SkiaSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

/// <summary>PCA against answers known by construction, and the map embed --plot draws from it.</summary>
public class PcaTests
{
    [Fact]
    public void ProjectionFindsTheAxesOfLargestVarianceWithFixedSigns()
    {
        Support.Torch.Ensure();
        // Points on the x axis spread ±3 and on the y axis ±1, rotated by 30° into 3-d (z constant): PC1 carries
        // 9/10 of the variance, PC2 1/10, and the projection recovers the coordinates up to the fixed sign.
        double[][] plane = [[3, 0], [-3, 0], [0, 1], [0, -1]];
        double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
        var rows = plane.Select(p => new[] { c * p[0] - s * p[1] + 5, s * p[0] + c * p[1] - 2, 7.0 }).ToArray();
        using var features = tensor(rows.SelectMany(r => r).ToArray(), [4, 3]);
        var pca = Pca.Project(features);
        Assert.Equal(0.9, pca.ExplainedVariance[0], 12);
        Assert.Equal(0.1, pca.ExplainedVariance[1], 12);
        double[] first = [.. Enumerable.Range(0, 4).Select(n => pca.Points[n, 0])];
        Assert.Equal(3, Math.Abs(first[0]), 10);
        Assert.Equal(-first[0], first[1], 10);
        Assert.Equal(0, first[2], 10);
        // the first axis's largest loading (its x component, cos 30°) is positive: row 0, at +3 along it, projects to +3
        Assert.Equal(3, first[0], 10);
        Assert.Equal(1, Math.Abs(pca.Points[2, 1]), 10);
    }

    [Fact]
    public void EmbeddingMapIsAPictureOfTheRequestedSize()
    {
        Support.Torch.Ensure();
        using var temp = new TempFolder();
        using var features = randn(30, 8, generator: new TorchSharp.torch.Generator(1));
        var path = temp.File("map.png");
        EmbeddingMap.Draw(Pca.Project(features), [.. Enumerable.Range(0, 30).Select(n => (long)(n % 3))], ["a", "b", "c"], "test", path);
        using var image = SKBitmap.Decode(path);
        Assert.Equal((900, 640), (image.Width, image.Height));
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < image.Height; y += 4) for (int x = 0; x < image.Width; x += 4) colours.Add(image.GetPixel(x, y));
        Assert.True(colours.Count > 10, "the map should hold more than a blank canvas");
    }
}
