using static TorchSharp.torch;

namespace BarlowTwins.Training;

/// <summary>
/// Signs of health or collapse, measured on one batch. Healthy training drives
/// <see cref="DiagonalMean"/> towards 1 and <see cref="OffDiagonalRms"/> towards 0; a collapsed
/// projector shows an <see cref="EffectiveRank"/> far below the embedding width.
/// </summary>
/// <param name="DiagonalMean">Mean of C_ii: agreement of the two views, per dimension.</param>
/// <param name="OffDiagonalRms">√(mean of C_ij², i ≠ j): remaining redundancy.</param>
/// <param name="EffectiveRank">exp(entropy of the normalised singular values) of the embeddings (Roy &amp; Vetterli 2007).</param>
public sealed record CollapseDiagnostics(double DiagonalMean, double OffDiagonalRms, double EffectiveRank)
{
    /// <summary>Measures a cross-correlation matrix <paramref name="c"/> (D × D) and embeddings <paramref name="z"/> (N × D).</summary>
    public static CollapseDiagnostics Measure(Tensor c, Tensor z)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var c32 = c.detach().to_type(ScalarType.Float32);
        long d = c32.shape[0];
        var diagonal = c32.diagonal();
        double diagonalMean = diagonal.mean().item<float>();
        double offSquares = c32.pow(2).sum().item<float>() - diagonal.pow(2).sum().item<float>();
        double offRms = d > 1 ? Math.Sqrt(Math.Max(offSquares, 0) / (d * (d - 1))) : 0;
        return new CollapseDiagnostics(diagonalMean, offRms, EffectiveRankOf(z));
    }

    /// <summary>
    /// exp(−Σ pₖ log pₖ) with pₖ = σₖ / Σσ, the singular values of <paramref name="z"/>; NaN when
    /// <paramref name="z"/> holds NaN or ±Inf (a diverged step), where the SVD would fail.
    /// </summary>
    public static double EffectiveRankOf(Tensor z)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var z32 = z.detach().to_type(ScalarType.Float32);
        double largest = z32.abs().max().item<float>();
        if (!double.IsFinite(largest)) return double.NaN;
        if (largest == 0) return 0;
        // The rank does not depend on z's scale: scaled into [−1, 1], huge but finite embeddings
        // cannot overflow inside the SVD.
        var singular = linalg.svdvals(z32 / largest);
        var total = singular.sum();
        if (total.item<float>() <= 0) return 0;
        var p = singular / total;
        var entropy = -(p * (p + 1e-12).log()).sum();
        return Math.Exp(entropy.item<float>());
    }
}
