// Computes the same numbers as BarlowTwinsLoss.Terms(BarlowTwinsLoss.CrossCorrelation(zA, zB)); FastTermsTests holds them equal.
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Loss.Fast;

/// <summary>
/// The two Barlow Twins terms, Σ_i (1 − C_ii)² and Σ_{i≠j} C_ij² with C = aᵀb/N, computed from
/// standardised embeddings a, b (N × D) by a hand-written autograd function instead of a graph
/// of D×D intermediates. The gradient w.r.t. C is
/// <code>
///   G_ij = 2·ḡ_red·C_ij (i ≠ j),   G_ii = −2·ḡ_inv·(1 − C_ii)
/// </code>
/// and then dL/da = b Gᵀ/N, dL/db = a G/N. When C fits in <c>memoryBudgetBytes</c> it is kept
/// from the forward pass (6·N·D² FLOP in all, no other D×D buffer);
/// otherwise C is computed and discarded a block of rows at a time, and recomputed in the backward
/// pass (8·N·D² FLOP, memory of one block), so D = 32 768 trains with exact gradients.
/// </summary>
public static class BlockedCorrelationTerms
{
    /// <summary>Default memory allowed for a kept C (1 GiB: D up to 16 384 in float32).</summary>
    public const long DefaultMemoryBudgetBytes = 1L << 30;

    /// <summary>(invariance, redundancy) as scalar float32 tensors with gradients to <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <param name="a">Standardised embeddings of view A, N × D, float32.</param>
    /// <param name="b">Standardised embeddings of view B, N × D, float32.</param>
    /// <param name="normalizer">The N of C = aᵀb/N (the global batch size under data parallelism).</param>
    /// <param name="memoryBudgetBytes">Largest D×D (or block) buffer to allocate.</param>
    public static (Tensor Invariance, Tensor Redundancy) Compute(Tensor a, Tensor b, long normalizer,
                                                                 long memoryBudgetBytes = DefaultMemoryBudgetBytes)
    {
        var outputs = CorrelationFunction.apply(a, b, normalizer, memoryBudgetBytes);
        return (outputs[0], outputs[1]);
    }

    /// <summary>Rows of C per block so that a block (rows × D floats) stays within the budget.</summary>
    internal static long RowsPerBlock(long d, long memoryBudgetBytes) =>
        Math.Clamp(memoryBudgetBytes / (d * sizeof(float)), 1, d);

    private sealed class CorrelationFunction : autograd.MultiTensorFunction<CorrelationFunction>
    {
        public override string Name => nameof(BlockedCorrelationTerms);

        public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (a, b) = ((Tensor)vars[0], (Tensor)vars[1]);
            long n = (long)vars[2], budget = (long)vars[3], d = a.shape[1];
            long rows = RowsPerBlock(d, budget);
            bool keep = rows == d;
            var invariance = zeros(1, dtype: a.dtype, device: a.device);
            var redundancy = zeros(1, dtype: a.dtype, device: a.device);
            Tensor? kept = null;
            for (long start = 0; start < d; start += rows)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(rows, d - start);
                var c = Block(a, b, n, start, count);
                var diagonal = c.diagonal(offset: start);
                invariance.add_((1 - diagonal).pow(2).sum());
                redundancy.add_(SumOfSquares(c) - diagonal.pow(2).sum());
                if (keep) kept = c.MoveToOuterDisposeScope();
            }
            ctx.save_for_backward(kept is null ? [a, b] : [a, b, kept]);
            ctx.save_data("n", n);
            ctx.save_data("rows", rows);
            return [invariance.squeeze(), redundancy.squeeze()];
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
        {
            var saved = ctx.get_saved_variables();
            var (a, b) = (saved[0], saved[1]);
            long n = (long)ctx.get_data("n"), rows = (long)ctx.get_data("rows"), d = a.shape[1];
            var (gInvariance, gRedundancy) = (gradOutputs[0], gradOutputs[1]);
            var gradA = empty_like(a);
            var gradB = zeros_like(b);
            for (long start = 0; start < d; start += rows)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(rows, d - start);
                var c = saved.Count == 3 ? saved[2] : Block(a, b, n, start, count);
                // G = 2ḡ_red·C + diag(g): the C part is applied as a matrix product, the diagonal
                // part as a column scaling of the N×D side, so no D×D buffer is written here.
                var diagonal = c.diagonal(offset: start);
                var g = (diagonal - 1).mul(gInvariance * 2).sub_(diagonal.mul(gRedundancy * 2)).div_(n);
                var scale = gRedundancy * 2 / n;
                var aBlock = a.narrow(1, start, count);
                var bBlock = b.narrow(1, start, count);
                gradA.narrow(1, start, count).copy_(b.mm(c.t()).mul_(scale).add_(bBlock * g));
                gradB.add_(aBlock.mm(c).mul_(scale));
                gradB.narrow(1, start, count).add_(aBlock * g);
            }
            return [gradA, gradB, null!, null!];
        }

        // Σ C² a slab of rows at a time: torch's pairwise sum keeps float32 exact to ~1e-7 (a
        // norm's running sum does not: 1.6e-4 at D = 2048), and a slab of squares stays in cache.
        private static Tensor SumOfSquares(Tensor c)
        {
            const long SlabRows = 256;
            var total = zeros(1, dtype: c.dtype, device: c.device);
            for (long row = 0; row < c.shape[0]; row += SlabRows)
            {
                using var slab = c.narrow(0, row, Math.Min(SlabRows, c.shape[0] - row)).square();
                using var sum = slab.sum();
                total.add_(sum);
            }
            return total;
        }

        // Dividing the N×D side by N, not the D×D product, saves a pass over C.
        private static Tensor Block(Tensor a, Tensor b, long n, long start, long count) =>
            a.narrow(1, start, count).div(n).t().mm(b);
    }
}
