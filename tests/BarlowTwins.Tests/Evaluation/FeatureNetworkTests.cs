using System.Text.Json;
using BarlowTwins.Evaluation;
using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using BarlowTwins.Tests.Training;
using BarlowTwins.Training.Precision;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

// Serial: one test checks that a bf16 copy leaves torch's process-wide generator where it was.
[Collection(SerialTorchRandom.Name)]
public class FeatureNetworkTests
{
    public FeatureNetworkTests() => Torch.Ensure();

    private static ResNet Tiny(int channels = 1)
    {
        manual_seed(3);
        return new ResNet(new ResNetOptions(ResNetArchitecture.Parse("resnet18"), channels, CifarStem: true, Width: 4, ZeroInitResidual: false));
    }

    private static Tensor Images(int channels = 1) => randn(8, channels, 12, 12, generator: new Generator(5));

    [Fact]
    public void Float32FeaturesAreTheBitsOfAPlainEvalModeForward()
    {
        using var backbone = Tiny();
        using var images = Images();
        backbone.eval();
        Tensor expected;
        using (no_grad()) expected = backbone.forward(images).to_type(ScalarType.Float32).flatten(1); // what extraction did before
        backbone.train();
        using var network = new FeatureNetwork(backbone, Precisions.Float32);
        using var actual = network.Forward(images);
        Assert.True(actual.equal(expected).all().item<bool>(), "fp32 features changed");
        Assert.True(backbone.training, "the backbone's own mode was not restored");
    }

    // bf16 keeps 8 bits of mantissa: each rounding errs by at most 2⁻⁹ ≈ 0.2 %, and a width-4
    // ResNet-18 rounds its activations after each of ~20 convolutions and batch-norms, where
    // independent errors add up to roughly √20 · 0.2 % ≈ 1 % of the feature vector. 4 % leaves room
    // for correlated errors while a wrong network (other weights, train-mode BN) misses by far more.
    [Fact]
    public void BFloat16FeaturesAreFloat32AndCloseToTheFloat32Features()
    {
        using var backbone = Tiny();
        using var images = Images();
        using var float32 = new FeatureNetwork(backbone, Precisions.Float32);
        using var bfloat16 = new FeatureNetwork(backbone, Precisions.BFloat16);
        using var expected = float32.Forward(images);
        using var actual = bfloat16.Forward(images);
        Assert.Equal(ScalarType.Float32, actual.dtype);
        double relative = (actual - expected).norm().item<float>() / expected.norm().item<float>();
        Assert.True(relative < 0.04, $"bf16 features are {relative:P2} off the fp32 ones");
        Assert.True(relative > 0, "the bf16 network computed in float32");
    }

    [Fact]
    public void ABFloat16CopyLeavesTheBackboneAndTorchsGeneratorAlone()
    {
        using var backbone = Tiny(channels: 3);
        var adapted = ChannelAdapter.ForData(backbone, dataChannels: 1);
        string before = BackboneGuard.Fingerprint(backbone);
        using var state = get_rng_state();
        using (var network = new FeatureNetwork(adapted, Precisions.BFloat16))
            network.Forward(Images()).Dispose();
        using var after = get_rng_state();
        Assert.True(after.equal(state).all().item<bool>(), "building the bf16 copy drew from torch's generator");
        Assert.Equal(before, BackboneGuard.Fingerprint(backbone));
        Assert.Equal(ScalarType.Float32, backbone.parameters().First().dtype);
    }

    // Tensors made under inference mode cannot be saved for backward: the features must be ordinary
    // ones, or the augmented probe's classifier could not train on them.
    [Fact]
    public void AClassifierTrainsOnTheFeatures()
    {
        using var backbone = Tiny();
        using var network = new FeatureNetwork(backbone, Precisions.BFloat16);
        using var features = network.Forward(Images());
        using var head = nn.Linear(features.shape[1], 3);
        using var loss = head.forward(features).square().mean();
        loss.backward();
        Assert.NotNull(head.weight!.grad);
    }

    // A whole extraction runs in one inference-mode block with no copy per batch: its features must
    // still be the bits of Forward batch by batch (in fp32 those of a plain forward, above), the
    // backbone's mode must come back, and the set must hold ordinary tensors a classifier trains on.
    [Theory]
    [InlineData(Precisions.Float32)]
    [InlineData(Precisions.BFloat16)]
    public void AnExtractionIsForwardBatchByBatchAndTrainsAClassifier(string precision)
    {
        using var backbone = Tiny();
        var source = EvalFixtures.BrightnessImages(perClass: 5, classes: 2, size: 12, channels: 1, seed: 1);
        var transform = new EvalFixtures.PixelTransform();
        using var network = new FeatureNetwork(backbone, precision);
        var batches = Enumerable.Range(0, source.Count).Chunk(4)
                                .Select(indices => transform.Apply(indices.Select(source.Get).ToList(), seed: 0)).ToList();
        using var expected = cat(batches.Select(b => network.Forward(b.Images)).ToList(), 0);
        foreach (var b in batches) b.Dispose();

        using var set = FeatureExtractor.Extract(network, source, transform, CPU, batchSize: 4);

        Assert.True(set.Features.equal(expected).all().item<bool>(), $"{precision} extraction differs from Forward");
        Assert.True(backbone.training, "the backbone's own mode was not restored");
        using var head = nn.Linear(set.Dimension, 2);
        using var loss = head.forward(set.Features).square().mean();
        loss.backward();
        Assert.NotNull(head.weight!.grad);
    }

    [Fact]
    public void AutoKeepsANetworkItCannotCopyToBFloat16InFloat32()
    {
        using var linear = nn.Sequential(nn.Flatten(), nn.Linear(16, 3));
        // Decided before any image is read: no source and no transform are needed.
        using var network = FeatureNetwork.Open(linear, Precisions.Auto, null!, null!, 4, CPU);

        Assert.Equal(new PrecisionChoice(Precisions.Float32, FeatureNetwork.NoBFloat16Copy), network.Choice);
    }

    // Auto keeps the network it timed: what it runs must be the precision it reports, bf16 features
    // off the fp32 ones by rounding, fp32 features their very bits.
    [Fact]
    public void AutoRunsTheNetworkItTimedInThePrecisionItChose()
    {
        var data = ProbeData.Open("synthetic?count=8&test-count=4&size=12&channels=1", "fashion-mnist", CPU);
        using var backbone = Tiny(data.Train.Channels);
        using var network = data.Network(backbone, Precisions.Auto, 4, CPU);
        using var reference = new FeatureNetwork(backbone, Precisions.Float32);
        using var images = Images(data.Train.Channels);
        using var features = network.Forward(images);
        using var expected = reference.Forward(images);

        Assert.Equal(PrecisionChoice.MeasuredHow, network.Choice.How);
        Assert.Equal(network.Choice.Precision, network.Precision);
        Assert.Equal(network.Precision == Precisions.Float32, features.equal(expected).all().item<bool>());
    }

    [Fact]
    public void AutoIsNeverAPrecisionToRunIn() =>
        Assert.Throws<ArgumentException>(() => new FeatureNetwork(Tiny(), Precisions.Auto));

    [Theory]
    [InlineData("random:resnet18:4", "bf16", "bf16", PrecisionChoice.AskedFor)]
    [InlineData("random:resnet18:4", "auto", null, PrecisionChoice.MeasuredHow)]
    [InlineData("pixels", "auto", "fp32", FeatureNetwork.NoWeights)]
    public void TheChoiceIsRecordedInTheEvalJson(string checkpoint, string asked, string? chosen, string how)
    {
        using var folder = new TempFolder();
        var lines = new List<string>();
        var target = new EvalTarget(checkpoint, "synthetic?count=24&test-count=8&size=8", Out: folder.Path);
        var (_, path) = EvalRuns.Knn(target, new KnnOptions(K: 5, Precision: asked), log: lines.Add);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var precision = json.RootElement.GetProperty("precision");
        string recorded = precision.GetProperty("precision").GetString()!;
        Assert.Equal(how, precision.GetProperty("how").GetString());
        if (chosen is not null) Assert.Equal(chosen, recorded);
        Assert.Contains(recorded, new[] { Precisions.Float32, Precisions.BFloat16 });
        Assert.Equal(recorded, json.RootElement.GetProperty("options").GetProperty("precision").GetString());
        if (how == PrecisionChoice.MeasuredHow)
            Assert.True(precision.GetProperty("float32-seconds").GetDouble() > 0 && precision.GetProperty("b-float16-seconds").GetDouble() > 0,
                        precision.ToString());
        Assert.Contains(lines, line => line.StartsWith("precision", StringComparison.Ordinal) && line.Contains(recorded));
    }
}
