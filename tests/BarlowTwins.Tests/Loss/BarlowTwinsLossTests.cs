using BarlowTwins.Loss;
using BarlowTwins.Loss.Fast;
using BarlowTwins.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Loss;

/// <summary>
/// The loss, its two terms, C, the standardised embeddings and both gradients against PyTorch's
/// (the authors' code) numbers, for every bt_loss case the fixtures hold, within
/// <see cref="ReferenceTolerance"/> of the float32 spread each records; and on the N ≥ D branch,
/// which the fixtures do not reach, against float64 autograd of the paper's equation.
/// </summary>
public class BarlowTwinsLossTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases() => ReferenceCases.Of("bt_loss");

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossAndTermsMatchReference(string name)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var fixture = new LossFixture(name);
        var (zA, zB) = fixture.Inputs();
        var terms = new BarlowTwinsLoss(RedundancyWeight.Of(fixture.Lambda)).Forward(zA, zB);
        // The near-perfect case's invariance is ≈ 5e-7, a sum of tiny squares where float32
        // rounding of C is the whole signal: its recorded spread (≈ 2e-10) sets its tolerance.
        AssertScalar($"{name} loss", terms.Loss, fixture.Scalar("loss"));
        AssertScalar($"{name} invariance", terms.Invariance, fixture.Scalar("on_diag"));
        AssertScalar($"{name} redundancy", terms.Redundancy, fixture.Scalar("off_diag"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsCAndStandardisedEmbeddingsMatchReference(string name)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var fixture = new LossFixture(name);
        var (zA, zB) = fixture.Inputs();
        zA.requires_grad_(true);
        zB.requires_grad_(true);
        new BarlowTwinsLoss(RedundancyWeight.Of(fixture.Lambda)).Forward(zA, zB).Loss.backward();
        using var c = BarlowTwinsLoss.CrossCorrelation(zA.detach(), zB.detach());
        foreach (var (what, reference, spread) in fixture.Outputs())
            AssertTensor($"{name} {what}", LossFixture.Ours(what, c, zA.grad!, zB.grad!, zA.detach(), zB.detach()), reference, spread);
    }

    /// <summary>
    /// N ≥ D, the blocked branch (the fixtures are all N &lt; D, the Gram branch): against float64
    /// autograd of the plain equation, with the float32 spread measured the way the fixtures
    /// record it, as plain float32 autograd's distance from float64.
    /// </summary>
    [Theory]
    [InlineData(32, 8, 1)]
    [InlineData(64, 64, 2)]
    [InlineData(256, 128, 3)]
    public void BlockedBranchMatchesFloat64Autograd(int n, int d, int seed)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        Assert.False(GramCorrelationTerms.IsCheaper(n, d), "this case must take the blocked branch");
        var generator = manual_seed(seed);
        var zA = randn(n, d, generator: generator) * 2 + 0.5;
        var zB = randn(n, d, generator: generator) - zA * 0.3;
        var exact = Plain(zA, zB, ScalarType.Float64);
        var plain32 = Plain(zA, zB, ScalarType.Float32);
        var ours = Fast(zA, zB);
        string label = $"N {n}, D {d}";
        foreach (var (what, index) in new[] { ("loss", 0), ("invariance", 1), ("redundancy", 2) })
            AssertScalar($"{label} {what}", ours.Values[index], (exact.Values[index].item<double>(),
                         plain32.Values[index].item<float>() - exact.Values[index].item<double>()));
        AssertTensor($"{label} dL/dzA", ours.GradA, exact.GradA, Compare.AbsoluteMax(plain32.GradA, exact.GradA));
        AssertTensor($"{label} dL/dzB", ours.GradB, exact.GradB, Compare.AbsoluteMax(plain32.GradB, exact.GradB));
    }

    private void AssertScalar(string what, Tensor actual, (double Value, double Spread) reference)
    {
        double error = Math.Abs(actual.item<float>() - reference.Value);
        double tolerance = ReferenceTolerance.Of(reference.Spread, reference.Value);
        output.WriteLine($"{what}: |error| {error:E2}, {error / Math.Abs(reference.Value):E2} relative (allowed {tolerance:E2}, spread {Math.Abs(reference.Spread):E2})");
        Assert.True(error <= tolerance, $"{what}: error {error:E3} > {tolerance:E3}");
    }

    private void AssertTensor(string what, Tensor actual, Tensor reference, double spread)
    {
        double error = Compare.AbsoluteMax(actual, reference);
        double scale = reference.abs().max().to_type(ScalarType.Float64).item<double>();
        double tolerance = ReferenceTolerance.Of(spread, scale);
        output.WriteLine($"{what}: max |error| {error:E2}, {error / scale:E2} of max |ref| (allowed {tolerance:E2}, spread {spread:E2})");
        Assert.True(error <= tolerance, $"{what}: error {error:E3} > {tolerance:E3}");
    }

    // loss, invariance, redundancy and both gradients by autograd through the paper's equation in
    // the given precision (C formed, no fast path).
    private static (Tensor[] Values, Tensor GradA, Tensor GradB) Plain(Tensor zA, Tensor zB, ScalarType precision)
    {
        var a = zA.detach().to_type(precision).requires_grad_(true);
        var b = zB.detach().to_type(precision).requires_grad_(true);
        var c = BarlowTwinsLoss.Standardize(a, precision).t().mm(BarlowTwinsLoss.Standardize(b, precision)).div(a.shape[0]);
        var terms = new BarlowTwinsLoss().Terms(c);
        terms.Loss.backward();
        return ([terms.Loss, terms.Invariance, terms.Redundancy], a.grad!, b.grad!);
    }

    private static (Tensor[] Values, Tensor GradA, Tensor GradB) Fast(Tensor zA, Tensor zB)
    {
        var a = zA.detach().requires_grad_(true);
        var b = zB.detach().requires_grad_(true);
        var terms = new BarlowTwinsLoss().Forward(a, b);
        terms.Loss.backward();
        return ([terms.Loss, terms.Invariance, terms.Redundancy], a.grad!, b.grad!);
    }

    [Fact]
    public void EmbeddingsInBFloat16GiveAFloat32Loss()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var generator = manual_seed(4);
        var zA = randn(64, 128, generator: generator) * 2 + 0.5;
        var zB = randn(64, 128, generator: generator) * 0.5 - 1;
        var loss = new BarlowTwinsLoss();
        var terms = loss.Forward(zA.to_type(ScalarType.BFloat16), zB.to_type(ScalarType.BFloat16));
        Assert.Equal(ScalarType.Float32, terms.Loss.dtype);
        // bf16 keeps 8 bits of mantissa: the inputs themselves move by ≈ 0.4 %.
        double error = Compare.Relative(terms.Loss.item<float>(), loss.Forward(zA, zB).Loss.item<float>());
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

}
