using System.Text.Json;
using BarlowTwins.Loss;
using BarlowTwins.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Loss;

/// <summary>The loss, its two terms, C and both gradients against PyTorch's (authors' code) numbers.</summary>
public class BarlowTwinsLossTests(ITestOutputHelper output)
{
    // Tolerances. The fixtures are PyTorch float32 on a different BLAS; our float32 results
    // differ from them by summation order alone. The manifest's own float32-vs-float64 gaps
    // are ≤ 3e-7 for C and ≤ 2e-7 for gradients, so we allow about 10× that on the scale of
    // each tensor (measured here: ≤ 1.1e-6 for gradients, ≤ 7e-7 for C, ≤ 1.2e-7 for the loss).
    private const double LossTolerance = 1e-5;      // relative, loss and both terms
    private const double TensorTolerance = 5e-6;    // max abs error / max |reference|

    public static TheoryData<string> Cases() =>
        ["small_8x16", "medium_64x128", "large_256x2048", "correlated_64x128", "constcol_8x16"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossAndTermsMatchReference(string name)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var entry = SharedFixtures.Manifest.GetProperty("bt_loss").GetProperty(name);
        var (zA, zB) = Inputs(entry);
        var expected = entry.GetProperty("expected");
        var terms = new BarlowTwinsLoss(RedundancyWeight.Of(entry.GetProperty("lambd").GetDouble())).Forward(zA, zB);

        double lossError = Compare.Relative(terms.Loss.item<float>(), expected.GetProperty("loss_f64").GetDouble());
        double invError = Compare.Relative(terms.Invariance.item<float>(), expected.GetProperty("on_diag_f64").GetDouble());
        double redError = Compare.Relative(terms.Redundancy.item<float>(), expected.GetProperty("off_diag_f64").GetDouble());
        output.WriteLine($"{name}: relative error loss {lossError:E2}, invariance {invError:E2}, redundancy {redError:E2}");
        // The near-perfect 'correlated' case has invariance ≈ 5e-7: a sum of tiny squares where
        // float32 rounding of C (≈ 1e-7 per entry) is the whole signal, so it is compared absolutely.
        if (name == "correlated_64x128")
            Assert.True(Math.Abs(terms.Invariance.item<float>() - expected.GetProperty("on_diag_f64").GetDouble()) < 1e-7);
        else
            Assert.True(invError < LossTolerance, $"invariance {invError}");
        Assert.True(lossError < LossTolerance, $"loss {lossError}");
        Assert.True(redError < LossTolerance, $"redundancy {redError}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchReference(string name)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var entry = SharedFixtures.Manifest.GetProperty("bt_loss").GetProperty(name);
        var (zA, zB) = Inputs(entry);
        zA.requires_grad_(true);
        zB.requires_grad_(true);
        new BarlowTwinsLoss(RedundancyWeight.Of(entry.GetProperty("lambd").GetDouble())).Forward(zA, zB).Loss.backward();
        var outputs = entry.GetProperty("outputs");
        double gA = Compare.RelativeMax(zA.grad!, SharedFixtures.Load(outputs.GetProperty("grad_z1")));
        double gB = Compare.RelativeMax(zB.grad!, SharedFixtures.Load(outputs.GetProperty("grad_z2")));
        output.WriteLine($"{name}: relative max error dL/dzA {gA:E2}, dL/dzB {gB:E2}");
        Assert.True(gA < TensorTolerance, $"dL/dzA {gA}");
        Assert.True(gB < TensorTolerance, $"dL/dzB {gB}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CrossCorrelationMatchesReference(string name)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var entry = SharedFixtures.Manifest.GetProperty("bt_loss").GetProperty(name);
        var (zA, zB) = Inputs(entry);
        var c = BarlowTwinsLoss.CrossCorrelation(zA, zB);
        var outputs = entry.GetProperty("outputs");
        double error = outputs.TryGetProperty("c", out var full)
            ? Compare.RelativeMax(c, SharedFixtures.Load(full))
            : Math.Max(Compare.RelativeMax(c.diagonal(), SharedFixtures.Load(outputs.GetProperty("c_diag"))),
                       Compare.RelativeMax(c[..64, ..64], SharedFixtures.Load(outputs.GetProperty("c_block_0_64"))));
        output.WriteLine($"{name}: relative max error of C {error:E2}");
        Assert.True(error < TensorTolerance, $"C {error}");
    }

    [Fact]
    public void EmbeddingsInBFloat16GiveAFloat32Loss()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var entry = SharedFixtures.Manifest.GetProperty("bt_loss").GetProperty("medium_64x128");
        var (zA, zB) = Inputs(entry);
        var terms = new BarlowTwinsLoss().Forward(zA.to_type(ScalarType.BFloat16), zB.to_type(ScalarType.BFloat16));
        Assert.Equal(ScalarType.Float32, terms.Loss.dtype);
        // bf16 keeps 8 bits of mantissa: the inputs themselves move by ≈ 0.4 %.
        double error = Compare.Relative(terms.Loss.item<float>(), entry.GetProperty("expected").GetProperty("loss_f64").GetDouble());
        Assert.True(error < 2e-2, $"bf16 loss relative error {error}");
    }

    [Fact]
    public void AutoLambdaIsOneOverD()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var zA = randn(16, 32);
        var zB = randn(16, 32);
        var auto = new BarlowTwinsLoss(RedundancyWeight.Auto).Forward(zA, zB);
        var fixedLambda = new BarlowTwinsLoss(RedundancyWeight.Of(1.0 / 32)).Forward(zA, zB);
        Assert.Equal(fixedLambda.Loss.item<float>(), auto.Loss.item<float>());
        Assert.Equal(RedundancyWeight.Auto, RedundancyWeight.Parse("auto"));
        Assert.Equal(0.0051, RedundancyWeight.Parse("0.0051").Resolve(8192));
    }

    [Theory]
    [InlineData(16, 32)]   // N < D: the Gram path
    [InlineData(48, 8)]    // N ≥ D: the blocked path
    public void InvarianceWeightZeroLeavesTheRedundancyTermAlone(int n, int d)
    {
        // The redundancy-only ablation: the loss and both gradients must be exactly those of
        // λ·redundancy computed from C by plain autograd (the paper's equation), up to float32 sums.
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var generator = manual_seed(5);
        var zA = randn(n, d, generator: generator).requires_grad_();
        var zB = randn(n, d, generator: generator).requires_grad_();
        var lambda = RedundancyWeight.Of(0.02);
        var loss = new BarlowTwinsLoss(lambda) { InvarianceWeight = 0 };
        var fast = loss.Forward(zA, zB);
        fast.Loss.backward();
        var (gradA, gradB) = (zA.grad!.clone(), zB.grad!.clone());
        zA.grad!.zero_();
        zB.grad!.zero_();
        var reference = 0.02 * loss.Terms(BarlowTwinsLoss.CrossCorrelation(zA, zB)).Redundancy;
        reference.backward();
        Assert.True(Compare.Relative(fast.Loss.item<float>(), reference.item<float>()) < 1e-5);
        Assert.True(Compare.AbsoluteMax(gradA, zA.grad!) < 1e-5 * gradA.abs().max().item<float>());
        Assert.True(Compare.AbsoluteMax(gradB, zB.grad!) < 1e-5 * gradB.abs().max().item<float>());
        Assert.True(fast.Invariance.item<float>() > 0, "the invariance term is still reported");
    }

    [Fact]
    public void MismatchedOrTinyBatchesAreRefused()
    {
        Torch.Ensure();
        var loss = new BarlowTwinsLoss();
        Assert.Throws<ArgumentException>(() => loss.Forward(randn(4, 8), randn(4, 9)));
        Assert.Throws<ArgumentException>(() => loss.Forward(randn(1, 8), randn(1, 8)));
        Assert.Throws<FormatException>(() => RedundancyWeight.Parse("lots"));
    }

    private static (Tensor, Tensor) Inputs(JsonElement entry)
    {
        var inputs = entry.GetProperty("inputs");
        return (SharedFixtures.Load(inputs.GetProperty("z1")), SharedFixtures.Load(inputs.GetProperty("z2")));
    }
}
