using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Augment;

/// <summary>The batch transforms: shapes, determinism regardless of threads, normalisation, eval identity.</summary>
public class TransformTests
{
    // The paper's recipe at 24 px (kernel 3) keeps every op, blur included, on tiny tensors.
    private static readonly TwoViewRecipe Small = TwoViewRecipe.ImageNet with { Size = 24 };

    internal static ImageSample[] Images(int count, int channels = 3) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var random = new Random(i);
            int height = 30 + 7 * i, width = 40 - 3 * i;
            var pixels = new byte[height * width * channels];
            random.NextBytes(pixels);
            return new ImageSample(pixels, height, width, channels, i % 3);
        }).ToArray();

    // Multi-crop's small views are drawn after A and B from each image's generator: adding them
    // leaves the global views as they were, and they are thread-count independent too.
    [Fact]
    public void SmallViewsLeaveTheGlobalViewsAsTheyWere()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var images = Images(5);
        var multiCrop = Small with { Locals = LocalViews.FromViewB(Small, 3, 12, new Interval(0.05, 0.4)) };
        using var plain = new TwoViewTransform(Small).Apply(images, seed: 7);
        using var one = new TwoViewTransform(multiCrop, parallelism: 1).Apply(images, seed: 7);
        using var many = new TwoViewTransform(multiCrop, parallelism: 3).Apply(images, seed: 7);
        Assert.Null(plain.Locals);
        Assert.Equal([3L, 5, 3, 12, 12], one.Locals!.shape);
        Assert.True(Compare.AbsoluteMax(plain.ViewA, one.ViewA) == 0 && Compare.AbsoluteMax(plain.ViewB, one.ViewB) == 0,
                    "small views changed the global views");
        Assert.True(Compare.AbsoluteMax(one.Locals, many.Locals!) == 0, "small views depend on the thread count");
        Assert.True(Compare.AbsoluteMax(one.Locals[0], one.Locals[1]) > 0, "the small views must differ");
    }

    [Fact]
    public void SameSeedGivesIdenticalViewsWhateverTheThreadCount()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var images = Images(9);
        using var one = new TwoViewTransform(Small, parallelism: 1).Apply(images, seed: 7);
        foreach (int threads in new[] { 2, 3, 16, -1 })
        {
            using var many = new TwoViewTransform(Small, parallelism: threads).Apply(images, seed: 7);
            Assert.True(Compare.AbsoluteMax(one.ViewA, many.ViewA) == 0, $"view A differs with {threads} threads");
            Assert.True(Compare.AbsoluteMax(one.ViewB, many.ViewB) == 0, $"view B differs with {threads} threads");
        }
        using var other = new TwoViewTransform(Small).Apply(images, seed: 8);
        Assert.True(Compare.AbsoluteMax(one.ViewA, other.ViewA) > 0, "another seed must give other views");
        Assert.True(Compare.AbsoluteMax(one.ViewA, one.ViewB) > 0, "the two views must differ");
    }

    [Fact]
    public void ViewsAreNormalisedBatchesWithLabels()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        using var batch = new TwoViewTransform(Small).Apply(Images(5), seed: 1);
        Assert.Equal([5L, 3, 24, 24], batch.ViewA.shape);
        Assert.Equal([5L, 3, 24, 24], batch.ViewB.shape);
        Assert.Equal([0L, 1, 2, 0, 1], batch.Labels.data<long>().ToArray());
        // Normalised [0, 1] values: between (0 − mean)/std and (1 − mean)/std of each channel.
        for (int c = 0; c < 3; c++)
        {
            double low = -Small.Normalization.Mean[c] / Small.Normalization.Std[c] - 1e-5;
            double high = (1 - Small.Normalization.Mean[c]) / Small.Normalization.Std[c] + 1e-5;
            Assert.InRange(batch.ViewA[.., c].min().item<float>(), low, high);
            Assert.InRange(batch.ViewA[.., c].max().item<float>(), low, high);
        }
    }

    [Fact]
    public void GreyPresetMakesOneChannelFromGreyOrColourImages()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var transform = new TwoViewTransform(TwoViewRecipe.FashionMnist);
        using var grey = transform.Apply(Images(4, channels: 1), seed: 3);
        using var colour = transform.Apply(Images(4, channels: 3), seed: 3);
        Assert.Equal([4L, 1, 28, 28], grey.ViewA.shape);
        Assert.Equal([4L, 1, 28, 28], colour.ViewB.shape);
    }

    [Fact]
    public void EvalOfImagesAlreadyAtSizeIsNormalisedPixels()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var images = Enumerable.Range(0, 3).Select(i => Images(1)[0] with { Pixels = Images(8)[i + 4].Pixels[..(32 * 32 * 3)], Height = 32, Width = 32 }).ToArray();
        var transform = EvalTransform.For(TwoViewRecipe.Cifar);
        using var batch = transform.Apply(images, seed: 0);
        var expected = stack(images.Select(im => tensor(im.Pixels, [32, 32, 3]).permute(2, 0, 1).to_type(ScalarType.Float32) / 255).ToArray());
        expected = TwoViewRecipe.Cifar.Normalization.Apply(expected);
        Assert.True(Compare.AbsoluteMax(batch.Images, expected) < 1e-5, "identity up to float rounding of x/255");
    }

    [Fact]
    public void EvalResizesTheShorterSideThenCropsTheCentre()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        // Left half black, right half white, 40 × 80: resized to 20 × 40, the centre 20 × 20 is
        // black on its left half and white on its right, with a blurred seam in the middle.
        var pixels = new byte[40 * 80];
        for (int y = 0; y < 40; y++)
            for (int x = 40; x < 80; x++) pixels[y * 80 + x] = 255;
        var transform = new EvalTransform(20, 20, new Normalization(1, [0f], [1f]));
        using var batch = transform.Apply([new ImageSample(pixels, 40, 80, 1, 0)], seed: 0);
        var row = batch.Images[0, 0, 10].data<float>().ToArray();
        Assert.Equal(20, row.Length);
        Assert.All(row[..8], v => Assert.Equal(0, v, 6));
        Assert.All(row[12..], v => Assert.Equal(1, v, 6));
        Assert.Equal(0.5, (row[9] + row[10]) / 2, 6);
    }

    [Fact]
    public void ProbeTrainCropsAreDeterministicAndNormalised()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var images = Images(6);
        var transform = ProbeTrainTransform.For(Small);
        using var first = transform.Apply(images, seed: 5);
        using var again = new ProbeTrainTransform(24, Small.A.CropScale, Small.Normalization, parallelism: 1).Apply(images, seed: 5);
        Assert.Equal([6L, 3, 24, 24], first.Images.shape);
        Assert.True(Compare.AbsoluteMax(first.Images, again.Images) == 0);
    }

    [Fact]
    public void TransformsLeaveNoTensorAlive()
    {
        Torch.Ensure();
        var images = Images(4);
        var twoViews = new TwoViewTransform(Small, parallelism: 1);
        var probe = ProbeTrainTransform.For(Small, parallelism: 1);
        twoViews.Apply(images, seed: 0).Dispose(); // warm-up: lazily created tensors stay out of the count
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 3; i++)
        {
            twoViews.Apply(images, seed: i).Dispose();
            probe.Apply(images, seed: i).Dispose();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void BadRecipesAndBatchesGiveClearErrors()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TwoViewTransform(Small with { A = Small.A with { JitterProbability = 1.5 } }));
        Assert.Contains("JitterProbability must lie in [0, 1]", error.Message);
        Assert.Throws<ArgumentException>(() => new TwoViewTransform(Small).Apply([], seed: 0));
        Assert.Contains("known: imagenet, cifar, fashion-mnist", Assert.Throws<ArgumentException>(() => TwoViewRecipe.Preset("mnist")).Message);
    }

    [Fact]
    public void PresetsAreThePaperTableAndItsSmallImageAdaptations()
    {
        var paper = TwoViewRecipe.ImageNet;
        Assert.Equal((224, 23), (paper.Size, paper.BlurKernelSize));
        Assert.Equal(new Interval(0.08, 1), paper.A.CropScale);
        Assert.Equal(new Interval(0.75, 4.0 / 3), paper.B.CropRatio);
        Assert.Equal((0.8, 0.4, 0.4, 0.2, 0.1, 0.2), (paper.A.JitterProbability, paper.A.Brightness, paper.A.Contrast, paper.A.Saturation, paper.A.Hue, paper.A.GrayscaleProbability));
        Assert.Equal((1.0, 0.1, 0.0, 0.2), (paper.A.BlurProbability, paper.B.BlurProbability, paper.A.SolarizeProbability, paper.B.SolarizeProbability));
        Assert.Equal(new Interval(0.1, 2.0), paper.B.BlurSigma);
        Assert.Equal([0.485f, 0.456f, 0.406f], paper.Normalization.Mean);
        Assert.Equal([0.229f, 0.224f, 0.225f], paper.Normalization.Std);
        Assert.Equal((32, 3, 0.0, 0.2), (TwoViewRecipe.Cifar.Size, TwoViewRecipe.Cifar.Channels, TwoViewRecipe.Cifar.A.BlurProbability, TwoViewRecipe.Cifar.B.SolarizeProbability));
        Assert.Equal((28, 1), (TwoViewRecipe.FashionMnist.Size, TwoViewRecipe.FashionMnist.Channels));
        foreach (var recipe in TwoViewRecipe.Presets.Values) recipe.Validate();
    }
}
