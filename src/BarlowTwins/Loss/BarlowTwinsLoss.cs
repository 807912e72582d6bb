using BarlowTwins.Loss.Fast;
using static TorchSharp.torch;

namespace BarlowTwins.Loss;

/// <summary>
/// The Barlow Twins objective (Zbontar et al. 2021, eq. 1), in float32 whatever precision the
/// embeddings arrive in: zA, zB (N × D) standardised per dimension over the batch, then
/// <code>  C = zAᵀ zB / N,    L = Σ_i (1 − C_ii)²  +  λ Σ_i Σ_{j≠i} C_ij²</code>
/// <see cref="Forward"/> computes the same numbers by the fast paths of Loss/Fast/.
/// </summary>
/// <param name="lambda">λ, the weight of the redundancy term (default: the paper's 0.0051).</param>
public sealed class BarlowTwinsLoss(RedundancyWeight? lambda = null)
{
    /// <summary>BatchNorm's ε, as in the authors' code.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>λ, the weight of the redundancy-reduction term.</summary>
    public RedundancyWeight Lambda { get; } = lambda ?? RedundancyWeight.Paper;

    /// <summary>Weight of the invariance term: 1 in the method; 0 optimises the redundancy term alone (the paper's table 2 ablation).</summary>
    public double InvarianceWeight { get; init; } = 1;

    /// <summary>Largest D×D buffer the loss may allocate; beyond it C is processed in blocks of rows.</summary>
    public long MemoryBudgetBytes { get; init; } = BlockedCorrelationTerms.DefaultMemoryBudgetBytes;

    /// <summary>Per dimension over the batch: (z − mean) / √(biased var + ε) (BatchNorm without affine), float32 unless told.</summary>
    public static Tensor Standardize(Tensor z, ScalarType precision = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var z32 = z.to_type(precision);
        var centered = z32 - z32.mean([0], keepdim: true);
        return (centered / (centered.pow(2).mean([0], keepdim: true) + Epsilon).sqrt()).MoveToOuterDisposeScope();
    }

    /// <summary>C = zAᵀ zB / N, D × D, float32.</summary>
    public static Tensor CrossCorrelation(Tensor zA, Tensor zB)
    {
        long n = EmbeddingPair.BatchSize(zA, zB);
        using var a = Standardize(zA);
        using var b = Standardize(zB);
        return a.t().mm(b).div_(n);
    }

    /// <summary>invariance + λ · redundancy for a cross-correlation matrix C: the paper's equation as written.</summary>
    public LossTerms Terms(Tensor c)
    {
        using var scope = NewDisposeScope();
        var diagonal = c.diagonal();
        var redundancy = c.pow(2).sum() - diagonal.pow(2).sum(); // Σ C² − Σ C_ii²: no off-diagonal copy
        return Of((1 - diagonal).pow(2).sum(), redundancy, c.shape[0]).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Terms"/>(<see cref="CrossCorrelation"/>(zA, zB)), computed by <see cref="FastTerms"/>.</summary>
    public LossTerms Forward(Tensor zA, Tensor zB) => FastTerms.Compute(this, zA, zB);

    internal LossTerms Of(Tensor invariance, Tensor redundancy, long d) =>
        new(InvarianceWeight * invariance + Lambda.Resolve(d) * redundancy, invariance, redundancy);
}
