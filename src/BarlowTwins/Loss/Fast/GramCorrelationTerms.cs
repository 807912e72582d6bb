// Computes the same numbers as BarlowTwinsLoss.Terms(BarlowTwinsLoss.CrossCorrelation(zA, zB)); FastTermsTests holds them equal.
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Loss.Fast;

/// <summary>
/// The two Barlow Twins terms through N × N Gram matrices instead of the D × D matrix C = aᵀb/N:
/// <code>
///   Σ_ij C_ij² = ‖aᵀb‖² / N² = ⟨a aᵀ, b bᵀ⟩ / N²,    C_ii = Σ_n a_ni b_ni / N
///   ∂/∂a Σ C² = 2 (b bᵀ) a / N²,                    ∂/∂b Σ C² = 2 (a aᵀ) b / N²
/// </code>
/// Exact (the same sums, reassociated), 8·N²·D FLOP for forward and backward together against
/// 6·N·D² for any method that forms C, and N × N memory: when N &lt; D (N = 256, D = 8192: 32×
/// fewer FLOP) this is the cheaper algorithm.
/// </summary>
public static class GramCorrelationTerms
{
    /// <summary>(invariance, redundancy) as scalar tensors with gradients to <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <param name="a">Standardised embeddings of view A, N × D, float32.</param>
    /// <param name="b">Standardised embeddings of view B, N × D, float32.</param>
    /// <param name="normalizer">The N of C = aᵀb/N.</param>
    public static (Tensor Invariance, Tensor Redundancy) Compute(Tensor a, Tensor b, long normalizer)
    {
        var outputs = GramFunction.apply(a, b, normalizer);
        return (outputs[0], outputs[1]);
    }

    /// <summary>True when the Gram form costs fewer FLOP than forming C: N &lt; D.</summary>
    public static bool IsCheaper(long n, long d) => n < d;

    private sealed class GramFunction : autograd.MultiTensorFunction<GramFunction>
    {
        public override string Name => nameof(GramCorrelationTerms);

        public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (a, b) = ((Tensor)vars[0], (Tensor)vars[1]);
            long n = (long)vars[2];
            var gramA = a.mm(a.t());
            var gramB = b.mm(b.t());
            var diagonal = (a * b).sum([0]).div_(n); // sum([0]), not sum(0): a literal 0 converts to ScalarType.Byte
            using var total = (gramA * gramB).sum().div_((double)n * n);
            var invariance = (1 - diagonal).pow(2).sum();
            var redundancy = total - diagonal.pow(2).sum();
            ctx.save_for_backward([a, b, gramA, gramB, diagonal]);
            ctx.save_data("n", n);
            return [invariance, redundancy];
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
        {
            var saved = ctx.get_saved_variables();
            var (a, b, gramA, gramB, diagonal) = (saved[0], saved[1], saved[2], saved[3], saved[4]);
            long n = (long)ctx.get_data("n");
            var (gInvariance, gRedundancy) = (gradOutputs[0], gradOutputs[1]);
            // ∂L/∂C_ii from both terms (the redundancy excludes the diagonal), times ∂C_ii/∂a_ni = b_ni / N.
            var perDimension = (diagonal - 1).mul(gInvariance * 2).sub_(diagonal.mul(gRedundancy * 2)).div_(n);
            var scale = gRedundancy * (2.0 / ((double)n * n));
            var gradA = gramB.mm(a).mul_(scale).add_(b * perDimension);
            var gradB = gramA.mm(b).mul_(scale).add_(a * perDimension);
            return [gradA, gradB, null!];
        }
    }
}
