using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Models;

/// <summary>ResNets with torchvision's names, shapes, sizes and initialisation.</summary>
public class ResNetTests
{
    [Theory]
    [InlineData("resnet18", 11_689_512)]
    [InlineData("resnet34", 21_797_672)]
    [InlineData("resnet50", 25_557_032)]
    public void ParameterCountWithTorchvisionsClassifierMatches(string name, long withFc)
    {
        Torch.Ensure();
        using var net = new ResNet(new ResNetOptions(ResNetArchitecture.Parse(name)));
        long classifier = net.FeatureDim * 1000L + 1000;
        Assert.Equal(withFc, net.parameters().Sum(p => p.numel()) + classifier);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet34")]
    [InlineData("resnet50")]
    public void StateDictKeysAndShapesEqualTorchvisions(string name)
    {
        Torch.Ensure();
        using var net = new ResNet(new ResNetOptions(ResNetArchitecture.Parse(name)));
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", $"torchvision_{name}_keys.txt"));
        var actual = net.state_dict().Select(kv => $"{kv.Key} {(kv.Value.dim() == 0 ? "scalar" : string.Join('x', kv.Value.shape))}");
        // TorchSharp lists parameters before buffers; PyTorch interleaves them per module. Keys are what count.
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ZeroInitResidualZeroesTheLastNormOfEveryBlock()
    {
        Torch.Ensure();
        using var net = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet50));
        var sd = net.state_dict();
        Assert.Equal(0, sd["layer1.0.bn3.weight"].abs().sum().item<float>());
        Assert.Equal(0, sd["layer4.2.bn3.weight"].abs().sum().item<float>());
        Assert.Equal(64, sd["layer1.0.bn1.weight"].sum().item<float>());
        using var plain = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, ZeroInitResidual: false));
        Assert.Equal(64, plain.state_dict()["layer1.0.bn2.weight"].sum().item<float>());
    }

    [Theory]
    [InlineData("resnet18", 1, true, 28, 512)]
    [InlineData("resnet18", 3, true, 32, 512)]
    [InlineData("resnet50", 3, false, 64, 2048)]
    public void FeaturesHaveTheExpectedShape(string name, int channels, bool cifar, int size, int dim)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var net = new ResNet(new ResNetOptions(ResNetArchitecture.Parse(name), channels, cifar));
        net.eval();
        var features = net.call(randn(2, channels, size, size));
        Assert.Equal(new long[] { 2, dim }, features.shape);
        Assert.Equal(cifar ? new long[] { 64, channels, 3, 3 } : new long[] { 64, channels, 7, 7 }, net.state_dict()["conv1.weight"].shape);
    }

    [Fact]
    public void NarrowWidthScalesEveryStage()
    {
        Torch.Ensure();
        using var net = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, true, Width: 32));
        Assert.Equal(256, net.FeatureDim);
        Assert.Equal(new long[] { 256, 256, 3, 3 }, net.state_dict()["layer4.1.conv2.weight"].shape);
    }

    [Fact]
    public void BadOptionsAreRefused()
    {
        Torch.Ensure();
        Assert.Throws<ArgumentException>(() => new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, InputChannels: 2)));
        Assert.Throws<ArgumentException>(() => ResNetArchitecture.Parse("resnet101"));
    }

    [Fact]
    public void StrideTwoStemRunsTheStagesAtHalfTheSideWithTheSameWeights()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        using var plain = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4));
        using var strided = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4, StemStride: 2));
        Assert.Equal(plain.state_dict().Select(kv => (kv.Key, string.Join('x', kv.Value.shape))),
                     strided.state_dict().Select(kv => (kv.Key, string.Join('x', kv.Value.shape))));
        strided.load_state_dict(plain.state_dict());
        plain.eval();
        strided.eval();
        // With equal weights, stride 2 equals stride 1 sampled at every other pixel: check the stem alone.
        var image = randn(2, 1, 28, 28);
        var stem1 = plain.named_children().Single(c => c.name == "conv1").module as TorchSharp.Modules.Conv2d;
        var stem2 = strided.named_children().Single(c => c.name == "conv1").module as TorchSharp.Modules.Conv2d;
        var full = stem1!.call(image);
        var half = stem2!.call(image);
        Assert.Equal(new long[] { 2, 4, 14, 14 }, half.shape);
        Assert.True(half.allclose(full[.., .., TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2)], rtol: 1e-5, atol: 1e-6));
        Assert.Equal(new long[] { 2, 32 }, strided.call(image).shape);
        Assert.Equal("CIFAR stem, stride 2", strided.Options.StemDescription);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 2)]
    public void StemStrideOtherThanOneOrTwoWithTheCifarStemIsRefused(bool cifar, int stride)
    {
        Torch.Ensure();
        var e = Assert.Throws<ArgumentException>(() => new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, cifar, 4, StemStride: stride)));
        Assert.Contains("StemStride", e.Message);
    }

    [Theory]
    [InlineData(2, 9)]  // odd side: the sampled pixels are those a strided 1×1 kernel reads
    [InlineData(2, 8)]
    [InlineData(1, 8)]
    public void ShortcutEqualsTheStridedOneByOneConvolutionInValueAndGradient(int stride, int side)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        using var downsample = ResNetLayers.Downsample(4, 8, stride) ?? ResNetLayers.Downsample(4, 8, 1)!;
        foreach (bool training in new[] { true, false })
        {
            downsample.train(training);
            var x = randn(3, 4, side, side).requires_grad_(true);
            var expected = downsample.forward(x);
            var (expectedInput, expectedWeight) = Gradients(expected, x, downsample);
            var actual = ResNetLayers.Shortcut(downsample)!(x);
            var (actualInput, actualWeight) = Gradients(actual, x, downsample);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"values, training {training}");
            Assert.True(actualInput.allclose(expectedInput, rtol: 1e-5, atol: 1e-6), $"input gradient, training {training}");
            Assert.True(actualWeight.allclose(expectedWeight, rtol: 1e-5, atol: 1e-5), $"weight gradient, training {training}");
        }
    }

    private static (Tensor Input, Tensor Weight) Gradients(Tensor output, Tensor x, TorchSharp.Modules.Sequential downsample)
    {
        var weight = downsample.parameters().First();
        var grads = autograd.grad([output], [x, weight], [ones_like(output) * arange(output.numel()).view(output.shape).sin()]);
        return (grads[0], grads[1]);
    }
}
