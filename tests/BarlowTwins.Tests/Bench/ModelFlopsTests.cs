using BarlowTwins.Bench;
using BarlowTwins.Models;

namespace BarlowTwins.Tests.Bench;

/// <summary>The analytic FLOP count behind every "fraction of peak", and the convolution list the ceiling times.</summary>
public class ModelFlopsTests
{
    [Theory]
    [InlineData("resnet18", 20, 1.814e9)] // stem + 16 block convolutions + 3 downsamples; torchvision's 1.82 GMAC at 224 px
    [InlineData("resnet50", 53, 4.089e9)] // stem + 48 + 4; 4.09 GMAC
    public void ConvolutionsOfTorchvisionsResNetsAt224(string name, int count, double macs)
    {
        var layers = ModelFlops.ConvLayers(new ResNetOptions(ResNetArchitecture.Parse(name)), 224);
        Assert.Equal(count, layers.Count);
        Assert.InRange(layers.Sum(l => l.Macs), macs * 0.998, macs * 1.002);
        Assert.Equal(7, layers[^1].OutputSide);
    }

    [Fact]
    public void StrideTwoStemQuartersTheCost()
    {
        var plain = new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 64);
        double full = ModelFlops.BackboneMacs(plain, 28), strided = ModelFlops.BackboneMacs(plain with { StemStride = 2 }, 28);
        Assert.Equal(2, ModelFlops.ConvLayers(plain with { StemStride = 2 }, 28)[^1].OutputSide); // 14 → 7 → 4 → 2
        Assert.InRange(strided / full, 0.22, 0.28);
    }

    [Fact]
    public void CeilingTimesEveryDistinctConvolutionOnce()
    {
        Support.Torch.Ensure();
        var shape = new StepShape("tiny", "resnet18", 8, 2, "16-16", CifarStem: true);
        var times = ConvCeiling.Measure(shape, repetitions: 1, warmup: 0);
        Assert.Equal(20, times.Sum(t => t.Count));
        Assert.Equal(times.Count, times.Select(t => t.Layer).Distinct().Count());
        Assert.All(times, t => Assert.True(t.Seconds > 0 && t.Gflops > 0));
        Assert.Equal(2 * times.Sum(t => t.Count * t.Seconds), ConvCeiling.StepSeconds(times), 12);
    }
}
