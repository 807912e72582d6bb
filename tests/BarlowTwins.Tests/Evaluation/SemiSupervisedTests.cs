using BarlowTwins.Evaluation;
using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using BarlowTwins.Tests.Training;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

// Both backbones come from torch's process-wide generator (SemiSupervised.Fresh seeds it), so
// another test class drawing from it in parallel would change the weights and the outcome.
[Collection(SerialTorchRandom.Name)]
public class SemiSupervisedTests
{
    public SemiSupervisedTests() => Torch.Ensure();

    [Fact]
    public void FineTuningLearnsAnEasyTaskAndLeavesTheCallersBackboneAlone()
    {
        // Brightness bands are separable from the mean pixel alone: 15 one-step epochs on 12 images
        // must at least halve the training loss on both sides (test accuracy after so few steps
        // depends on BN running statistics that have barely moved, so it is not asserted).
        // The caller's backbone must not move.
        var train = EvalFixtures.BrightnessImages(8, 3, 8, 1, seed: 11);
        var test = EvalFixtures.BrightnessImages(10, 3, 8, 1, seed: 12);
        var transform = new EvalFixtures.PixelTransform();
        var subset = LabelSubset.Select(Enumerable.Range(0, train.Count).Select(i => train.Get(i).Label).ToArray(), 0.5, 0);
        using var backbone = SemiSupervised.Fresh(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4), seed: 3);
        string before = BackboneGuard.Fingerprint(backbone);
        var result = SemiSupervised.Run(backbone, new(train, test, transform, transform), subset,
                                        new SemiSupervisedOptions(Epochs: 15, BatchSize: 12, BackboneRate: 0.05));
        Assert.Equal(before, BackboneGuard.Fingerprint(backbone));
        Assert.Equal(15, result.Pretrained.History.Count);
        Assert.Equal(12, result.Subset.Indices.Length);
        foreach (var side in new[] { result.Pretrained, result.Scratch })
            Assert.True(side.History[^1].TrainLoss < side.History[0].TrainLoss / 2,
                        $"loss {side.History[0].TrainLoss} → {side.History[^1].TrainLoss}");
        Assert.Equal(30, result.Scratch.Confusion.Total);
    }

    [Fact]
    public void GreyImagesReachAnRgbBackboneRepeated()
    {
        using var rgb = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 3, CifarStem: true, Width: 4));
        rgb.eval();
        var adapted = ChannelAdapter.ForData(rgb, dataChannels: 1);
        using var grey = randn(2, 1, 8, 8);
        using var repeated = grey.repeat(1, 3, 1, 1);
        using (no_grad())
        {
            using var a = adapted.forward(grey);
            using var b = rgb.forward(repeated);
            Assert.True(Compare.AbsoluteMax(a, b) == 0, "grey → RGB must equal repeating the channel");
        }
        Assert.Same(rgb, ChannelAdapter.ForData(rgb, 3));
    }
}
