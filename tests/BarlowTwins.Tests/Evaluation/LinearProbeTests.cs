using BarlowTwins.Evaluation;
using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

public class LinearProbeTests
{
    public LinearProbeTests() => Torch.Ensure();

    [Fact]
    public void SeparableFeaturesAreLearnedPerfectly()
    {
        // Blobs 4 σ apart are linearly separable with a wide margin: anything below 100 % is a bug.
        using var train = EvalFixtures.Blobs(60, 5, 16, seed: 1);
        using var test = EvalFixtures.Blobs(40, 5, 16, seed: 2);
        var result = LinearProbe.Run(train, test, new LinearProbeOptions(Epochs: 10, BatchSize: 32));
        Assert.Equal(100.0, result.Final.Top1);
        Assert.Null(result.Final.Top5);            // 5 classes: every label is always in the top 5
        Assert.Equal(10, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss / 2,
                    $"loss fell only from {result.History[0].TrainLoss} to {result.History[^1].TrainLoss}");
        Assert.Equal(200, result.Confusion.Total);
        Assert.Equal(100.0, result.Confusion.Accuracy);
    }

    [Fact]
    public void SameSeedSameResult()
    {
        using var train = EvalFixtures.Blobs(20, 3, 8, seed: 3);
        using var test = EvalFixtures.Blobs(20, 3, 8, seed: 4);
        var options = new LinearProbeOptions(Epochs: 2, BatchSize: 16);
        var a = LinearProbe.Run(train, test, options);
        var b = LinearProbe.Run(train, test, options);
        Assert.Equal(a.History.Select(h => h.TrainLoss), b.History.Select(h => h.TrainLoss));
    }

    [Theory]
    [InlineData(ProbeMode.Cached)]
    [InlineData(ProbeMode.Augmented)]
    public void ProbeOnImagesLeavesTheBackboneUntouched(ProbeMode mode)
    {
        // A tiny ResNet in train mode: if the probe forgot eval()/no_grad, BN running statistics
        // (or weights) would move and the guard inside the probe would throw.
        var train = EvalFixtures.BrightnessImages(16, 3, 8, 1, seed: 5);
        var test = EvalFixtures.BrightnessImages(8, 3, 8, 1, seed: 6);
        var transform = new EvalFixtures.PixelTransform();
        using var backbone = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4));
        backbone.train();
        string before = BackboneGuard.Fingerprint(backbone);
        var result = LinearProbe.Run(backbone, new ProbeData(train, test, transform, transform),
                                     new LinearProbeOptions(Epochs: 2, BatchSize: 16, Mode: mode));
        Assert.Equal(before, BackboneGuard.Fingerprint(backbone));
        Assert.True(backbone.training, "the backbone's mode must be restored");
        Assert.Equal(24, result.Confusion.Total);
        Assert.Null(result.Final.Top5);            // 3 classes ≤ 5: every label is in the top 5
    }

    [Fact]
    public void StandardizedFeaturesHaveUnitScaleAndTinyFeaturesStillFit()
    {
        // Blobs shrunk 1e-3: SGD at lr 0.3 barely moves logits of such features in 3 epochs; after
        // standardisation the same probe separates them (anything below 100 % is a bug).
        using var train = EvalFixtures.Blobs(60, 5, 16, seed: 1);
        using var test = EvalFixtures.Blobs(40, 5, 16, seed: 2);
        using var tinyTrain = new FeatureSet(train.Features * 1e-3f, train.Labels.clone(), train.Classes);
        using var tinyTest = new FeatureSet(test.Features * 1e-3f, test.Labels.clone(), test.Classes);
        using (var scaling = FeatureScaling.Of(tinyTrain))
        using (var scaled = scaling.Apply(tinyTrain))
        {
            Assert.True(scaled.Features.mean([0]).abs().max().item<float>() < 1e-4f);
            Assert.True(scaled.Features.std(0, unbiased: false).sub(1).abs().max().item<float>() < 1e-3f);
        }
        var options = new LinearProbeOptions(Epochs: 3, BatchSize: 32);
        var plain = LinearProbe.Run(tinyTrain, tinyTest, options);
        var standardized = LinearProbe.Run(tinyTrain, tinyTest, options with { Standardize = true });
        Assert.Equal(100.0, standardized.Final.Top1);
        Assert.True(plain.History[^1].TrainLoss > 1.0, $"unscaled loss {plain.History[^1].TrainLoss} (ln 5 = 1.61 at chance)");
        Assert.Throws<ArgumentException>(() => (options with { Standardize = true, Mode = ProbeMode.Augmented }).Validate());
    }
}
