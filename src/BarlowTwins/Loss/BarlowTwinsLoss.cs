using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Loss;

/// <summary>The loss and its two terms, each a scalar tensor.</summary>
/// <param name="Loss">invariance + λ · redundancy (the invariance term weighted by <see cref="BarlowTwinsLoss.InvarianceWeight"/>).</param>
/// <param name="Invariance">Σ_i (1 − C_ii)².</param>
/// <param name="Redundancy">Σ_i Σ_{j≠i} C_ij² (not yet multiplied by λ).</param>
public sealed record LossTerms(Tensor Loss, Tensor Invariance, Tensor Redundancy);

/// <summary>
/// The Barlow Twins objective (Zbontar et al. 2021, eq. 1):
/// <code>
///   C = zAᵀ zB / N
///   L = Σ_i (1 − C_ii)²  +  λ Σ_i Σ_{j≠i} C_ij²
/// </code>
/// where zA, zB are the embeddings of the two views, each standardised per dimension over the
/// batch (BatchNorm without affine parameters, training statistics, biased variance).
/// Computed in float32 whatever precision the embeddings arrive in.
/// </summary>
public sealed class BarlowTwinsLoss
{
    /// <summary>BatchNorm's ε, as in the authors' code.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>λ, the weight of the redundancy-reduction term.</summary>
    public RedundancyWeight Lambda { get; }

    /// <summary>A loss with the given λ (default: the paper's 0.0051).</summary>
    public BarlowTwinsLoss(RedundancyWeight? lambda = null) => Lambda = lambda ?? RedundancyWeight.Paper;

    /// <summary>
    /// Weight of the invariance term: 1 in the method. 0 optimises the redundancy term alone, the
    /// paper's ablation (its table 2, where the network collapses to 0.1 % top-1).
    /// </summary>
    public double InvarianceWeight { get; init; } = 1;

    /// <summary>Largest D×D buffer the loss may allocate; beyond it C is processed in blocks of rows.</summary>
    public long MemoryBudgetBytes { get; init; } = BlockedCorrelationTerms.DefaultMemoryBudgetBytes;

    /// <summary>The loss for embeddings <paramref name="zA"/>, <paramref name="zB"/> (N × D each).</summary>
    /// <remarks>
    /// Evaluates exactly <see cref="Terms"/>(<see cref="CrossCorrelation"/>(zA, zB)) with a
    /// hand-written gradient: through N × N Gram matrices (<see cref="GramCorrelationTerms"/>)
    /// when N &lt; D, else through <see cref="BlockedCorrelationTerms"/>, which needs no D×D
    /// intermediate beyond C (and processes C in blocks beyond <see cref="MemoryBudgetBytes"/>).
    /// </remarks>
    public LossTerms Forward(Tensor zA, Tensor zB)
    {
        CheckShapes(zA, zB);
        using var a = Standardize(zA);
        using var b = Standardize(zB);
        long n = zA.shape[0], d = zA.shape[1];
        var (invariance, redundancy) = GramCorrelationTerms.IsCheaper(n, d)
            ? GramCorrelationTerms.Compute(a, b, n)
            : BlockedCorrelationTerms.Compute(a, b, n, MemoryBudgetBytes);
        return new LossTerms(Combine(invariance, redundancy, d), invariance, redundancy);
    }

    /// <summary>C = zAᵀ zB / N, D × D, float32.</summary>
    public static Tensor CrossCorrelation(Tensor zA, Tensor zB)
    {
        CheckShapes(zA, zB);
        long n = zA.shape[0];
        using var a = Standardize(zA);
        using var b = Standardize(zB);
        return a.t().mm(b).div_(n);
    }

    /// <summary>invariance + λ · redundancy for a cross-correlation matrix C: the paper's equation as written.</summary>
    public LossTerms Terms(Tensor c)
    {
        using var scope = NewDisposeScope();
        var diagonal = c.diagonal();
        var invariance = (1 - diagonal).pow(2).sum();
        // Σ_{j≠i} C_ij² = Σ C² − Σ C_ii²: no D×D off-diagonal copy is ever built.
        var redundancy = c.pow(2).sum() - diagonal.pow(2).sum();
        var loss = Combine(invariance, redundancy, c.shape[0]);
        return new LossTerms(loss.MoveToOuterDisposeScope(), invariance.MoveToOuterDisposeScope(),
                             redundancy.MoveToOuterDisposeScope());
    }

    private Tensor Combine(Tensor invariance, Tensor redundancy, long d) =>
        InvarianceWeight * invariance + Lambda.Resolve(d) * redundancy;

    /// <summary>Per-dimension standardisation over the batch: (z − mean) / √(biased var + ε), in float32 unless told.</summary>
    public static Tensor Standardize(Tensor z, ScalarType precision = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var z32 = z.to_type(precision);
        var centered = z32 - z32.mean([0], keepdim: true);
        var variance = centered.pow(2).mean([0], keepdim: true);
        return (centered / (variance + Epsilon).sqrt()).MoveToOuterDisposeScope();
    }

    private static void CheckShapes(Tensor zA, Tensor zB)
    {
        if (zA.dim() != 2 || zB.dim() != 2 || !zA.shape.SequenceEqual(zB.shape))
            throw new ArgumentException(
                $"Embeddings must both be N × D; got [{string.Join(", ", zA.shape)}] and [{string.Join(", ", zB.shape)}].");
        if (zA.shape[0] < 2)
            throw new ArgumentException("Barlow Twins needs at least 2 samples per batch to standardise embeddings.");
    }
}
