using BarlowTwins.Tests.Support;
using BarlowTwins.Evaluation;

namespace BarlowTwins.Tests.Evaluation;

public class LabelSubsetTests
{
    // 1 000 images, 4 classes of unequal size (100, 200, 300, 400), labels interleaved.
    private static readonly int[] Labels = Enumerable.Range(0, 1000).Select(i => i % 10 < 1 ? 0 : i % 10 < 3 ? 1 : i % 10 < 6 ? 2 : 3).ToArray();

    [Fact]
    public void EveryClassGetsTheSameCount()
    {
        var subset = LabelSubset.Select(Labels, 0.1, seed: 0);
        // 10 % of 1 000 over 4 classes = 25 per class, whatever the class sizes.
        Assert.Equal(100, subset.Indices.Length);
        Assert.All(subset.Indices.GroupBy(i => Labels[i]), g => Assert.Equal(25, g.Count()));
        Assert.Equal(subset.Indices.Order(), subset.Indices);
        Assert.Equal(subset.Indices.Length, subset.Indices.Distinct().Count());
    }

    [Fact]
    public void SameSeedSameSubsetOtherSeedOtherSubset()
    {
        var a = LabelSubset.Select(Labels, 0.01, seed: 3);
        Assert.Equal(a.Indices, LabelSubset.Select(Labels, 0.01, seed: 3).Indices);
        Assert.NotEqual(a.Indices, LabelSubset.Select(Labels, 0.01, seed: 4).Indices);
        Assert.Equal(12, a.Indices.Length);   // round(0.01 × 1000 / 4 = 2.5) = 3 per class, half away from zero
    }

    [Fact]
    public void FileIsWrittenThenReusedAndCheckedAgainstTheRun()
    {
        var source = EvalFixtures.BrightnessImages(perClass: 20, classes: 3, size: 4, channels: 1, seed: 1);
        using var temp = new TempFolder();
        string path = temp.File("subset.json");
        var created = LabelSubset.LoadOrCreate(path, source, 0.25, seed: 7);
        Assert.True(File.Exists(path));
        // Edit the file: a reused subset must come from the file, not be drawn again.
        File.WriteAllText(path, File.ReadAllText(path).Replace($"[{created.Indices[0]},", "[59,"));
        var reused = LabelSubset.LoadOrCreate(path, source, 0.25, seed: 7);
        Assert.Equal(59, reused.Indices[0]);
        Assert.Throws<InvalidDataException>(() => LabelSubset.LoadOrCreate(path, source, 0.1, seed: 7));
        Assert.Equal(created.Indices.Length, reused.Apply(source).Count);
    }

    [Theory]
    [InlineData("1%", 0.01)]
    [InlineData("10%", 0.1)]
    [InlineData("0.05", 0.05)]
    public void FractionsParse(string text, double expected) => Assert.Equal(expected, LabelSubset.ParseFraction(text), 15);

    [Fact]
    public void BadFractionsAreRejected()
    {
        Assert.Throws<FormatException>(() => LabelSubset.ParseFraction("0%"));
        Assert.Throws<FormatException>(() => LabelSubset.ParseFraction("lots"));
    }
}
