using static TorchSharp.torch;

namespace BarlowTwins.Distributed;

/// <summary>Per-channel mean and biased variance over the global batch, and the input standardised by them.</summary>
/// <param name="Mean">Σ_ranks Σ x / count, shaped to broadcast against the input.</param>
/// <param name="Variance">Σ_ranks Σ (x − mean)² / count (biased), same shape.</param>
/// <param name="Standardized">(x − mean) / √(variance + ε).</param>
/// <param name="Count">Elements per channel over all ranks.</param>
internal sealed record GlobalMoments(Tensor Mean, Tensor Variance, Tensor Standardized, double Count)
{
    /// <summary>
    /// Moments of <paramref name="x"/> over <paramref name="dims"/> and over every rank, differentiable
    /// (two rank-local sums; see <see cref="SumOverRanks"/>). Tensors land in the caller's dispose scope.
    /// </summary>
    public static GlobalMoments Of(Tensor x, long[] dims, double epsilon, ICollectives collectives)
    {
        double count = collectives.Total(dims.Aggregate(1L, (n, d) => n * x.shape[d]));
        var mean = SumOverRanks.Apply(x.sum(dims, keepdim: true), collectives, SumConsumer.RankLocal) / count;
        var centered = x - mean;
        var variance = SumOverRanks.Apply(centered.pow(2).sum(dims, keepdim: true), collectives, SumConsumer.RankLocal) / count;
        return new GlobalMoments(mean, variance, centered / (variance + epsilon).sqrt(), count);
    }
}
