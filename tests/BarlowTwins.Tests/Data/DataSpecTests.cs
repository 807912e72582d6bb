using BarlowTwins.Data;
using Xunit.Abstractions;

namespace BarlowTwins.Tests.Data;

public sealed class DataSpecTests(ITestOutputHelper output)
{
    [Fact]
    public void ParsesKindPathAndOptions()
    {
        var spec = DataSpec.Parse("folder:/data/my pets?channels=1&check=full");
        Assert.Equal(("folder", "/data/my pets"), (spec.Kind, spec.Location));
        Assert.Equal("1", spec.Options["channels"]);
        Assert.Equal("folder:/data/my pets?channels=1&check=full", spec.ToString());
        Assert.Equal("fashion-mnist", DataSpec.Parse("Fashion-MNIST").Kind);
        Assert.Equal(("fashion-mnist", "cifar", "imagenet"),
            (DataSpec.Parse("idx:/m").DefaultPreset, DataSpec.Parse("synthetic").DefaultPreset, spec.DefaultPreset));
    }

    [Theory]
    [InlineData("imagenet", "Unknown data kind")]
    [InlineData("folder", "needs a folder")]
    [InlineData("fashion-mnist:/x", "takes no path")]
    [InlineData("synthetic?colour=3", "not an option of synthetic")]
    [InlineData("cifar10:/x?channels=1", "options: train")]
    public void RejectsBadSpecsWithAClearMessage(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => DataSpec.Parse(text)).Message);

    [Fact]
    public void SyntheticIsDeterministicBalancedAndSplit()
    {
        var spec = DataSpec.Parse("synthetic?count=40&test-count=10&size=16&channels=1&seed=3");
        var train = spec.Open(DataSplit.Train);
        var again = spec.Open(DataSplit.Train);
        var test = spec.Open(DataSplit.Test);

        Assert.Equal((40, 10, 50, 1), (train.Count, test.Count, spec.Open(DataSplit.All).Count, train.Channels));
        Assert.Equal(train.Get(7).Pixels, again.Get(7).Pixels);
        Assert.NotEqual(train.Get(7).Pixels, test.Get(7).Pixels);
        Assert.All(Enumerable.Range(0, 40).GroupBy(i => train.Get(i).Label), g => Assert.Equal(4, g.Count()));
        Assert.Equal((16, 16), (train.Get(0).Height, train.Get(0).Width));
    }

    [Fact]
    public void TrainKeepsAFixedRandomSampleOfTheTrainingImagesOnly()
    {
        var spec = DataSpec.Parse("synthetic?count=40&test-count=10&size=8&train=12");
        var whole = DataSpec.Parse("synthetic?count=40&test-count=10&size=8").Open(DataSplit.Train);
        var sample = spec.Open(DataSplit.Train);
        Assert.Equal((12, 10), (sample.Count, spec.Open(DataSplit.Test).Count));
        // Each sampled image is one of the whole split's, in source order, and the draw is repeatable.
        var positions = Enumerable.Range(0, 12)
            .Select(i => Enumerable.Range(0, 40).Single(j => whole.Get(j).Pixels.SequenceEqual(sample.Get(i).Pixels))).ToArray();
        Assert.Equal(positions.Order(), positions);
        Assert.NotEqual(Enumerable.Range(0, 12), positions);
        Assert.Equal(sample.Get(5).Pixels, spec.Open(DataSplit.Train).Get(5).Pixels);
        Assert.Contains("between 1 and the 40", Assert.Throws<FormatException>(
            () => DataSpec.Parse("synthetic?count=40&train=41").Open(DataSplit.Train)).Message);
    }

    [Fact]
    public void SyntheticClassesAreTellableApart()
    {
        // Nearest class mean on raw grey pixels is a weak learner; shapes at random places and
        // colours still give it well above the 10 % of chance if the classes carry signal.
        var train = new SyntheticSource(1000, size: 16, channels: 1, seed: 1);
        var test = new SyntheticSource(300, size: 16, channels: 1, seed: 2);
        var means = new double[10, 256];
        for (int i = 0; i < train.Count; i++)
        {
            var sample = train.Get(i);
            var features = Features(sample.Pixels);
            for (int p = 0; p < 256; p++) means[sample.Label, p] += features[p] / 100.0;
        }
        int correct = Enumerable.Range(0, test.Count).Count(i =>
        {
            var sample = test.Get(i);
            var features = Features(sample.Pixels);
            int best = Enumerable.Range(0, 10).MinBy(c => Enumerable.Range(0, 256).Sum(p => Math.Pow(features[p] - means[c, p], 2)));
            return best == sample.Label;
        });
        output.WriteLine($"nearest class mean on edge magnitudes: {correct / 3.0:F1} % (chance 10 %)");
        Assert.InRange(correct / 300.0, 0.25, 1.0);
    }

    /// <summary>Magnitudes of horizontal and vertical differences: edges, independent of the colours drawn.</summary>
    private static double[] Features(byte[] grey)
    {
        var features = new double[256];
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
            {
                int here = grey[y * 16 + x];
                int right = grey[y * 16 + Math.Min(x + 1, 15)], below = grey[Math.Min(y + 1, 15) * 16 + x];
                features[y * 16 + x] = Math.Abs(here - right) + Math.Abs(here - below);
            }
        return features;
    }
}
