using BarlowTwins.Loss;
using BarlowTwins.Loss.Fast;
using BarlowTwins.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Loss.Fast;

/// <summary>
/// The fast paths of Loss/Fast/ (blocked C, N × N Gram, and the choice between them) compute the same
/// numbers as <see cref="BarlowTwinsLoss.Terms"/>: terms and hand-written gradients equal autograd
/// through the plain equation.
/// </summary>
public class FastTermsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1L << 30)]   // C kept whole
    [InlineData(48 * 128 * 4)] // 48 rows a block: 3 blocks, the last one short
    [InlineData(128 * 4)]    // one row a block
    public void TermsAndGradientsEqualAutogradInFloat64(long budget)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var generator = manual_seed(7);
        var zA = randn(24, 128, dtype: ScalarType.Float64) * 2 + 0.5;
        var zB = randn(24, 128, dtype: ScalarType.Float64) - zA * 0.3;
        var (expectedTerms, expectedA, expectedB) = Plain(zA, zB);
        var (inv, red, gradA, gradB) = Blocked(zA, zB, budget);
        double worst = new[]
        {
            Compare.Relative(inv.item<double>(), expectedTerms.Invariance.item<double>()),
            Compare.Relative(red.item<double>(), expectedTerms.Redundancy.item<double>()),
            Compare.RelativeMax(gradA, expectedA),
            Compare.RelativeMax(gradB, expectedB),
        }.Max();
        output.WriteLine($"budget {budget}: largest relative difference {worst:E2}");
        Assert.True(worst < 1e-12, $"difference {worst}"); // float64: only summation order differs
    }

    // The Gram form (N × N matrices; BarlowTwinsLoss.Forward uses it when N < D) is the same
    // function with its sums reassociated: float64 agreement to 1e-12, both when N < D and N > D.
    [Theory]
    [InlineData(24, 128)]
    [InlineData(40, 16)]
    public void GramTermsAndGradientsEqualAutogradInFloat64(int n, int d)
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var generator = manual_seed(11);
        var zA = randn(n, d, dtype: ScalarType.Float64) * 2 + 0.5;
        var zB = randn(n, d, dtype: ScalarType.Float64) - zA * 0.3;
        var (expectedTerms, expectedA, expectedB) = Plain(zA, zB);
        var a = zA.detach().requires_grad_(true);
        var b = zB.detach().requires_grad_(true);
        var (inv, red) = GramCorrelationTerms.Compute(BarlowTwinsLoss.Standardize(a, a.dtype), BarlowTwinsLoss.Standardize(b, b.dtype), n);
        (inv + 0.0051 * red).backward();
        double worst = new[]
        {
            Compare.Relative(inv.item<double>(), expectedTerms.Invariance.item<double>()),
            Compare.Relative(red.item<double>(), expectedTerms.Redundancy.item<double>()),
            Compare.RelativeMax(a.grad!, expectedA),
            Compare.RelativeMax(b.grad!, expectedB),
        }.Max();
        output.WriteLine($"Gram {n}×{d}: largest relative difference {worst:E2}");
        Assert.True(worst < 1e-12, $"difference {worst}");
    }

    [Fact]
    public void MatchesTheReferenceGradientsInFloat32()
    {
        Torch.Ensure();
        using var scope = NewDisposeScope();
        var entry = SharedFixtures.Manifest.GetProperty("bt_loss").GetProperty("large_256x2048");
        var zA = SharedFixtures.Load(entry.GetProperty("inputs").GetProperty("z1"));
        var zB = SharedFixtures.Load(entry.GetProperty("inputs").GetProperty("z2"));
        var (_, _, gradA, gradB) = Blocked(zA, zB, 300 * 2048 * 4);
        var outputs = entry.GetProperty("outputs");
        double error = Math.Max(Compare.RelativeMax(gradA, SharedFixtures.Load(outputs.GetProperty("grad_z1"))),
                                Compare.RelativeMax(gradB, SharedFixtures.Load(outputs.GetProperty("grad_z2"))));
        output.WriteLine($"large_256x2048 blocked: relative max gradient error {error:E2}");
        Assert.True(error < 5e-6, $"gradient error {error}"); // same bound as the plain loss's fixture test
    }

    private static (LossTerms Terms, Tensor GradA, Tensor GradB) Plain(Tensor zA, Tensor zB)
    {
        var a = zA.detach().requires_grad_(true);
        var b = zB.detach().requires_grad_(true);
        var c = BarlowTwinsLoss.Standardize(a, a.dtype).t().mm(BarlowTwinsLoss.Standardize(b, b.dtype)).div(a.shape[0]);
        var terms = new BarlowTwinsLoss().Terms(c);
        terms.Loss.backward();
        return (terms, a.grad!, b.grad!);
    }

    private static (Tensor Inv, Tensor Red, Tensor GradA, Tensor GradB) Blocked(Tensor zA, Tensor zB, long budget)
    {
        var a = zA.detach().requires_grad_(true);
        var b = zB.detach().requires_grad_(true);
        var (inv, red) = BlockedCorrelationTerms.Compute(BarlowTwinsLoss.Standardize(a, a.dtype),
                                                        BarlowTwinsLoss.Standardize(b, b.dtype), a.shape[0], budget);
        (inv + 0.0051 * red).backward();
        return (inv, red, a.grad!, b.grad!);
    }
}
