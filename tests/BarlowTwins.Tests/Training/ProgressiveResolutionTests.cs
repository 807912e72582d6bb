using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Training;

/// <summary>--progressive: the global views of the schedule's first steps at a smaller size.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class ProgressiveResolutionTests : TempFolderTest
{
    // 24 colour images of 12 px, batches of 8: 3 steps per epoch, 2 epochs, views of 8 px.
    private PretrainOptions Options(string name) => TinyRun.Options(Path.Combine(Folder, name)) with
    {
        Data = "synthetic?count=24&size=12&channels=3",
        Augment = "cifar",
        Workers = 2,
    };

    [Fact]
    public void OffInEveryPresetAndOffMeansTodaysBatches()
    {
        Assert.All(PretrainPresets.All.Values, preset => Assert.Null(preset.Progressive));
        var options = Options("off");
        var data = PretrainingData.Open(options, _ => { });
        var spec = DataSpec.Parse(options.Data);
        var today = new BatchLoader<TwoViewBatch>(spec.Open(spec.PretrainingSplit, new DataReport()), new TwoViewTransform(options.ViewRecipe()),
                                                  new LoaderOptions(options.BatchSize, options.Seed));
        for (int epoch = 0; epoch < 2; epoch++)
            AssertSame(today.Epoch(epoch), data.Epoch(epoch, 0));
    }

    [Fact]
    public void TheDataLineNamesEachDepartureFromThePaperAndNoneWithoutThem()
    {
        string Line(PretrainOptions options)
        {
            var lines = new List<string>();
            PretrainingData.Open(options, lines.Add);
            return Assert.Single(lines, line => line.StartsWith("data: ", StringComparison.Ordinal));
        }
        Assert.DoesNotContain("not the paper's method", Line(Options("paper")));
        string line = Line(Options("both") with { JitterStrength = 0.5, Progressive = new ProgressiveResolution(4, 0.6) });
        Assert.Contains(", colour jitter ×0.5 (--jitter-strength, not the paper's method)", line);
        Assert.Contains(", 4 px for the first 4 steps (--progressive, not the paper's method)", line);
    }

    [Fact]
    public void StepsBeforeTheSwitchAreSmallAndTheRestAreTheBatchesOfARunWithoutIt()
    {
        var off = Options("off");
        var on = off with { Progressive = new ProgressiveResolution(4, 0.6) }; // ⌈0.6 × 6⌉ = step 4 (epoch 1, batch 1)
        var withOption = PretrainingData.Open(on, _ => { });
        Assert.Equal(TinyRun.StepsPerEpoch, withOption.BatchesPerEpoch);
        var without = PretrainingData.Open(off, _ => { });
        var sizes = new List<long>();
        for (int epoch = 0; epoch < 2; epoch++)
            foreach (var (batch, full) in withOption.Epoch(epoch, 0).Zip(without.Epoch(epoch, 0)))
                using (batch)
                using (full)
                {
                    Assert.Equal(batch.ViewA.shape[2], batch.ViewB.shape[3]);
                    sizes.Add(batch.ViewA.shape[3]);
                    if (batch.ViewA.shape[3] == off.ImageSize) AssertEqual(full, batch);
                    else Assert.True(batch.Labels.equal(full.Labels).all().item<bool>(), "the small batch holds other images");
                }
        Assert.Equal(new long[] { 4, 4, 4, 4, 8, 8 }, sizes);
        // A run resumed mid-epoch, before and after the switch, takes the same batches.
        Assert.Equal(new long[] { 4, 8, 8 }, withOption.Epoch(1, 0).Select(Side).ToArray());
        Assert.Equal(new long[] { 8, 8 }, withOption.Epoch(1, 1).Select(Side).ToArray());
        Assert.Equal(new long[] { 4, 4 }, withOption.Epoch(0, 1).Select(Side).ToArray());
    }

    [Fact]
    public void MultiCropsSmallViewsKeepTheirSize()
    {
        var on = Options("multi") with { Progressive = new ProgressiveResolution(6, 0.5), LocalCrops = 2, LocalSize = 4 };
        using var first = PretrainingData.Open(on, _ => { }).Epoch(0, 0).First();
        Assert.Equal(new long[] { 2, 8, 3, 4, 4 }, first.Locals!.shape);
        Assert.Equal(new long[] { 8, 3, 6, 6 }, first.ViewA.shape);
    }

    [Fact]
    public void ARunWithItReachesItsEndAndResumesAcrossTheSwitchBitExactly()
    {
        var straight = Options("straight") with { Progressive = new ProgressiveResolution(4, 0.5) }; // switch at step 3
        var split = straight with { Out = Path.Combine(Folder, "split") };
        using var reference = Train(straight);
        Assert.True(reference.Progress.IsComplete);
        Assert.Equal(6, reference.Progress.GlobalStep);
        Assert.Equal("4,0.5", PretrainOptionsJson.Load(new RunFolder(straight.Out).Config).Progressive.ToString());

        using (var first = Train(split with { MaxSteps = 2 })) Assert.Equal(2, first.Progress.GlobalStep);
        using var resumed = Train(split);
        Assert.True(resumed.Resumed);
        foreach (var (name, tensor) in reference.Twin.state_dict())
            Assert.True(tensor.equal(resumed.Twin.state_dict()[name]).all().item<bool>(), $"{name} differs after resume");

        var error = Assert.Throws<ArgumentException>(() => new Pretrainer(split with { Progressive = null }, TinyRun.Data(), []));
        Assert.Contains("progressive", error.Message);
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(9, 0.5)]
    [InlineData(4, 0.0)]
    [InlineData(4, 1.0)]
    [InlineData(4, double.NaN)]
    [InlineData(4, double.PositiveInfinity)]
    public void OutOfRangeValuesAreRefusedByName(int size, double fraction)
    {
        var problem = Assert.Single((Options("bad") with { Progressive = new ProgressiveResolution(size, fraction) }).Problems());
        Assert.StartsWith("progressive must be size,fraction", problem);
    }

    [Fact]
    public void ATimeBudgetIsRefusedAndTheSwitchIsTheCeilingOfTheFraction()
    {
        var budget = Options("budget") with { Progressive = new ProgressiveResolution(4, 0.5), Minutes = 1 };
        Assert.Contains("--steps or --epochs", Assert.Single(budget.Problems()));
        Assert.Equal(3, new ProgressiveResolution(4, 0.3).SwitchStep(10));
        Assert.Equal(4, new ProgressiveResolution(4, 0.31).SwitchStep(10));
        Assert.Equal(new ProgressiveResolution(14, 0.5), ProgressiveResolution.Parse("14, 0.5"));
        Assert.Throws<FormatException>(() => ProgressiveResolution.Parse("14"));
    }

    private static long Side(TwoViewBatch batch)
    {
        using (batch) return batch.ViewA.shape[3];
    }

    private static Pretrainer Train(PretrainOptions options)
    {
        var trainer = new Pretrainer(options, PretrainingData.Open(options, _ => { }), []);
        trainer.Run();
        return trainer;
    }

    private static void AssertSame(IEnumerable<TwoViewBatch> expected, IEnumerable<TwoViewBatch> actual)
    {
        int count = 0;
        foreach (var (a, b) in expected.Zip(actual))
            using (a)
            using (b)
            {
                AssertEqual(a, b);
                count++;
            }
        Assert.Equal(3, count);
    }

    private static void AssertEqual(TwoViewBatch expected, TwoViewBatch actual)
    {
        Assert.True(expected.ViewA.equal(actual.ViewA).all().item<bool>(), "view A differs");
        Assert.True(expected.ViewB.equal(actual.ViewB).all().item<bool>(), "view B differs");
        Assert.True(expected.Labels.equal(actual.Labels).all().item<bool>(), "labels differ");
    }
}
