using System.Text.Json;
using BarlowTwins.Evaluation;
using BarlowTwins.Tests.Data;
using BarlowTwins.Tests.Support;

namespace BarlowTwins.Tests.Evaluation;

/// <summary>Evaluations on little data say what makes their numbers mislead.</summary>
public class SmallDataTests
{
    public SmallDataTests() => Torch.Ensure();

    [Fact]
    public void KIsClampedToTheTrainingSplitWithAWarning()
    {
        var warnings = new List<string>();
        Assert.Equal(200, SmallData.ClampK(new KnnOptions(K: 200), 200, warnings).K);
        Assert.Empty(warnings);
        Assert.Equal(109, SmallData.ClampK(new KnnOptions(K: 200), 109, warnings).K);
        Assert.Contains("k = 200 is more than the 109 training images", Assert.Single(warnings));
    }

    [Fact]
    public void TopFiveIsLeftOutWithFiveClassesOrFewer()
    {
        foreach (int classes in new[] { 3, 5, 6 })
        {
            using var train = EvalFixtures.Blobs(20, classes, 8, seed: 1);
            using var test = EvalFixtures.Blobs(10, classes, 8, seed: 2);
            var accuracy = Knn.Classify(train, test, new KnnOptions(K: 5)).Accuracy;
            Assert.Equal(classes > 5, accuracy.Top5.HasValue);
            Assert.Equal(classes > 5, accuracy.ToString().Contains("top-5"));
        }
    }

    [Fact]
    public void AKnnOnTinySplitsClampsKFlagsTheTestSplitAndSaysSoBeforeTheWork()
    {
        using var folder = new TempFolder();
        var warnings = new List<string>();
        var target = new EvalTarget("pixels", "synthetic?count=40&test-count=11&size=8", Out: folder.Path);
        var (result, path) = EvalRuns.Knn(target, new KnnOptions(K: 200), warn: warnings.Add);

        Assert.Equal(40, result.K);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("only 11 images", warnings[0]);
        Assert.Contains("k = 200", warnings[1]);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.True(json.RootElement.GetProperty("small-test-split").GetBoolean());
        Assert.Equal(40, json.RootElement.GetProperty("options").GetProperty("k").GetInt32());
        Assert.Equal(warnings, json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public void AnUnlabelledFolderIsRefusedBeforeAnyFeatureIsExtracted()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < 3; i++)
            PngWriter.Write(folder.File($"photo{i}.png"), 8, 8, PngWriter.ColourType.Rgb, 8, new byte[8 * 8 * 3]);
        var progress = new List<EvalProgress>();
        var target = new EvalTarget("pixels", $"folder:{folder.Path}", Out: Path.Combine(folder.Path, "eval"));
        var error = Assert.Throws<ArgumentException>(() => EvalRuns.Knn(target, new KnnOptions(), new Progress(progress)));
        Assert.Contains("has no labels", error.Message);
        Assert.Empty(progress);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "eval")));
    }

    private sealed class Progress(List<EvalProgress> seen) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => seen.Add(value);
    }
}
