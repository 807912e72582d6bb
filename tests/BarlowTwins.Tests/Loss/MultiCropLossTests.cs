using BarlowTwins.Loss;
using BarlowTwins.Tests.Support;
using BarlowTwins.Tests.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Loss;

/// <summary>Multi-crop's objective: the mean of the paper's loss over (global, other view) pairs, or over (view, mean view) pairs.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class MultiCropLossTests
{
    private readonly ITestOutputHelper _output;

    public MultiCropLossTests(ITestOutputHelper output)
    {
        Torch.Ensure();
        _output = output;
    }

    [Fact]
    public void PairsAreEachGlobalViewWithEveryOtherView()
    {
        Assert.Equal([(0, 1)], MultiCropLoss.Pairs(2));
        Assert.Equal([(0, 1), (0, 2), (1, 2), (0, 3), (1, 3)], MultiCropLoss.Pairs(4));
    }

    [Fact]
    public void AnUnknownPairingIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => MultiCropLoss.Of("nearest"));
        Assert.Contains("'nearest'", error.Message);
        Assert.Contains("global or mean", error.Message);
    }

    [Fact]
    public void TwoViewsGiveThePapersLossExactly()
    {
        using var scope = NewDisposeScope();
        var loss = new BarlowTwinsLoss();
        var (zA, zB) = (randn(16, 32), randn(16, 32));
        var expected = loss.Forward(zA, zB);
        var actual = MultiCropLoss.OverGlobalPairs(loss.Forward, [zA, zB]);
        Assert.Equal(expected.Loss.item<float>(), actual.Loss.item<float>());
        Assert.Equal(expected.Redundancy.item<float>(), actual.Redundancy.item<float>());
    }

    // The step's path (the hand-written gradients of BarlowTwinsLoss.Forward, float32) against the
    // definition in the class summary, written out with plain autograd in float64: the loss and
    // the gradient with respect to every view's embeddings. N < D (Gram form) and N ≥ D (blocked form).
    [Theory]
    [InlineData(16, 32, 2, MultiCropLoss.GlobalPairing)]
    [InlineData(40, 8, 3, MultiCropLoss.GlobalPairing)]
    [InlineData(16, 32, 2, MultiCropLoss.MeanPairing)]
    [InlineData(40, 8, 3, MultiCropLoss.MeanPairing)]
    [InlineData(16, 32, 0, MultiCropLoss.MeanPairing)]
    public void GradientEqualsAutogradOfTheDefinition(int n, int d, int small, string pairing)
    {
        using var scope = NewDisposeScope();
        var loss = new BarlowTwinsLoss();
        manual_seed(11);
        var base64 = randn(n, d, dtype: ScalarType.Float64);
        // Correlated views, as after some training, so that both terms matter.
        var views = Enumerable.Range(0, 2 + small).Select(_ => base64 + 0.7 * randn(n, d, dtype: ScalarType.Float64)).ToArray();

        var fast = views.Select(v => v.to_type(ScalarType.Float32).requires_grad_(true)).ToArray();
        var actual = MultiCropLoss.Of(pairing)(loss.Forward, fast);
        actual.Loss.backward();

        var exact = views.Select(v => v.clone().requires_grad_(true)).ToArray();
        var expected = pairing == MultiCropLoss.MeanPairing ? MeanDefinition(loss, exact) : Definition(loss, exact);
        expected.backward();

        double lossError = Compare.Relative(actual.Loss.item<float>(), expected.item<double>());
        _output.WriteLine($"{pairing} N {n} D {d} K {small}: loss {expected.item<double>():F4}, relative error {lossError:E2}");
        Assert.True(lossError < 1e-5, $"loss differs by {lossError} relative");
        for (int v = 0; v < views.Length; v++)
        {
            double error = Compare.RelativeMax(fast[v].grad!, exact[v].grad!);
            _output.WriteLine($"  dL/dz of view {v}: {error:E2} of its largest entry");
            Assert.True(error < 1e-5, $"view {v}: gradient differs by {error} of its largest entry");
        }
    }

    /// <summary>(1/|P|) Σ_{(g,v) ∈ P} [Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij²] with C = ẑ_gᵀ ẑ_v / N, in float64.</summary>
    private static Tensor Definition(BarlowTwinsLoss loss, Tensor[] z)
    {
        var pairs = new List<(int, int)> { (0, 1) };
        for (int k = 2; k < z.Length; k++) pairs.AddRange([(0, k), (1, k)]);
        return stack(pairs.Select(p => PairLoss(loss, z[p.Item1], z[p.Item2])).ToArray()).mean();
    }

    /// <summary>(1/V) Σ_v [Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij²] with C = ẑ_vᵀ ẑ̄ / N, z̄ = (1/V) Σ_v z_v, in float64.</summary>
    private static Tensor MeanDefinition(BarlowTwinsLoss loss, Tensor[] z)
    {
        var mean = z.Aggregate((a, b) => a + b) / z.Length;
        return stack(z.Select(v => PairLoss(loss, v, mean)).ToArray()).mean();
    }

    private static Tensor PairLoss(BarlowTwinsLoss loss, Tensor zG, Tensor zV)
    {
        long n = zG.shape[0];
        var (a, b) = (Standardized(zG), Standardized(zV));
        return loss.Terms(a.t().mm(b) / n).Loss;
    }

    private static Tensor Standardized(Tensor z)
    {
        var centered = z - z.mean([0], keepdim: true);
        return centered / (centered.pow(2).mean([0], keepdim: true) + BarlowTwinsLoss.Epsilon).sqrt();
    }
}
